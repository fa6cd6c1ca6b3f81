package io.syncro.benchmarks;

import io.netty.channel.Channel;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.RedisStore;
import io.syncro.runtime.store.Retention;
import io.syncro.runtime.store.ScribeStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end load driver; each command prints {@code result NAME VALUE} lines that
 * {@link Report} gathers.
 *
 * <ul>
 *   <li>{@code catchup STORE SCRIBES}: a server JVM holding a backlog in STORE (memory, file,
 *       disk: a file store keeping its records only on disk, redis) and this JVM as a client,
 *       over loopback TCP: how fast the backlog is caught up, and the peak heap of both JVMs, in
 *       use and live (held after a collection, {@link LiveHeap});
 *   <li>{@code snapshot STORE SCRIBES}: as {@code catchup}, with a client that trusts the
 *       server and so syncs from nothing with a snapshot of its records: how many records a
 *       second a fresh client receives, and the peak heap of both JVMs. With
 *       {@code -Dsyncro.edits=E} (both commands), the server's scribes are creates of
 *       SCRIBES / (E + 1) records and E edits of each; with {@code -Dsyncro.clientStore=file},
 *       the client keeps them in a file store instead of memory, and with {@code =disk} in a
 *       file store that keeps its records only on disk ({@code FileStore.Records.ON_DISK});
 *       file stores hand their writes to the operating system, or with
 *       {@code -Dsyncro.durability=DISK} force each to disk (a catch-up's: each page);
 *   <li>{@code fanout SESSIONS CHANGES}: one change at a time fanned out to SESSIONS connected
 *       clients, the latency until each client has it: first to light clients in a JVM of their
 *       own ({@link FanOutReaders}), which only read and answer, so that the figure is the
 *       server's ({@code fanout.p99_ms}); then to full client nodes in this JVM, beside the server
 *       ({@code fanout.one_jvm.p99_ms}: what the server and its clients cost together);
 *   <li>{@code record SCRIBES}: how fast a node records into Redis, beside
 *       {@code redis-benchmark -t set} on the same server in the same run: a first pass (while
 *       the JIT compiles the save path, reported as {@code cold_scribes_per_second}), then the
 *       measured pass;
 *   <li>{@code compact UPDATES RECORDS}: a node on a file store saves UPDATES changes spread over
 *       RECORDS records, keeping {@code -Dsyncro.keep=K} scribes (10 per record by default),
 *       then trims its history: the log's size before and after, beside the live data (the
 *       records and the scribes kept) as JSON;
 *   <li>{@code serve STORE SCRIBES}: the server side of {@code catchup}, run in its own JVM.
 * </ul>
 */
public final class LoadDriver {
  private LoadDriver() {}

  public static void main(String[] args) throws Exception {
    LiveHeap.watch();
    switch (args[0]) {
      case "catchup":
        catchUp(args[1], Integer.parseInt(args[2]), false);
        break;
      case "snapshot":
        catchUp(args[1], Integer.parseInt(args[2]), true);
        break;
      case "serve":
        serve(args[1], Integer.parseInt(args[2]));
        break;
      case "fanout":
        fanOutToReaders(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        fanOutInOneJvm(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        break;
      case "record":
        record(Integer.parseInt(args[1]));
        break;
      case "compact":
        compact(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        break;
      default:
        throw new IllegalArgumentException(
            "commands: catchup, snapshot, serve, fanout, record, compact");
    }
    System.exit(0); // Netty's and Syncro's threads are daemons, but Jedis' pools may not be
  }

  static void result(String name, Object value) {
    System.out.println("result " + name + " " + value);
  }

  // ---- catch-up between two JVMs ----

  /**
   * How far file stores' writes go: {@code -Dsyncro.durability=DISK} for the default of
   * {@code FileStore.open(directory)}, an fsync per write (a catch-up: per page); the operating
   * system only, otherwise.
   */
  private static final FileStore.Durability DURABILITY = FileStore.Durability.valueOf(
      System.getProperty("syncro.durability", FileStore.Durability.OPERATING_SYSTEM.name()));

  private static ScribeStore store(String kind, Path directory) {
    switch (kind) {
      case "memory":
        return new MemoryStore();
      case "file":
        return FileStore.open(directory, DURABILITY);
      case "disk": // a file store keeping its records only on disk
        return FileStore.open(directory, DURABILITY, FileStore.Records.ON_DISK);
      case "redis":
        return RedisStore.builder()
            .url(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"))
            .prefix("syncro-load-" + UUID.randomUUID().toString().substring(0, 8))
            .notifications(false)
            .build();
      default:
        throw new IllegalArgumentException("stores: memory, file, disk, redis");
    }
  }

  /** The server JVM: fills its store, listens, says "ready PORT", waits for a line, reports. */
  private static void serve(String kind, int scribes) throws Exception {
    Path directory = Files.createTempDirectory("syncro-load");
    ScribeStore store = store(kind, directory);
    Syncro server = Syncro.builder().store(store).model(Item.class)
        .catchUpWindow(Integer.getInteger("syncro.window", 64)).build();
    SyncedRepository<Item, String> items = server.repository(Item.class, String.class);
    // With -Dsyncro.edits=E, the scribes are that many items' creates and E edits of each: a
    // history whose log is (E + 1) times the records it leaves.
    int edits = Integer.getInteger("syncro.edits", 0);
    int records = scribes / (edits + 1);
    for (int n = 0; n < records; n++) {
      items.save(Item.number(n));
    }
    for (int edit = 1; edit <= edits; edit++) {
      for (int n = 0; n < records; n++) {
        Item item = Item.number(n);
        item.quantity = edit;
        items.save(item);
      }
    }
    try (NettyTransport netty = new NettyTransport()) {
      Channel listener = netty.listen(server, 0, session -> { });
      System.out.println("cpu-before " + processCpuNanos());
      System.out.println("ready " + ((InetSocketAddress) listener.localAddress()).getPort());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      System.out.println("cpu-after " + processCpuNanos());
      System.out.println("peak-heap " + LiveHeap.mostInUse());
      System.out.println("live-heap " + LiveHeap.mostAfterCollection());
      System.out.flush();
      if (store instanceof RedisStore) {
        ((RedisStore) store).deleteEverything();
      }
      server.close();
      store.close();
    }
  }

  /**
   * @param snapshot whether the client trusts the server, which then answers its first sync with
   *     a snapshot of its records instead of its log
   */
  private static void catchUp(String kind, int scribes, boolean snapshot) throws Exception {
    Process server = new ProcessBuilder(javaCommand("serve", kind, Integer.toString(scribes)))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader serverOut =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    // CPU time, of each JVM, spent while the client syncs: which side is the limit.
    long serverCpuBefore = Long.parseLong(valueAfter(serverOut, "cpu-before "));
    int port = Integer.parseInt(valueAfter(serverOut, "ready "));
    // -Dsyncro.clientStore=file: the client keeps what it gets in a file store, as a device
    // would; =disk: in a file store that keeps its records only on disk; the memory store by
    // default.
    String clientKind = System.getProperty("syncro.clientStore", "memory");
    boolean fileClient = !clientKind.equals("memory");
    Path clientDirectory = fileClient ? Files.createTempDirectory("syncro-load-client") : null;
    ScribeStore clientStore = fileClient ? store(clientKind, clientDirectory) : new MemoryStore();
    Syncro.Builder builder = Syncro.builder().store(clientStore).model(Item.class);
    Syncro client = (snapshot ? builder.trust("server") : builder).build();
    // -Dsyncro.resultPrefix names the figures of a second run of one command in a report.
    String prefix = System.getProperty("syncro.resultPrefix", snapshot ? "snapshot." : "catchup.");
    String figure = prefix + kind + (snapshot ? ".records_per_second" : ".scribes_per_second");
    try (NettyTransport netty = new NettyTransport()) {
      long start = System.nanoTime();
      long clientCpuBefore = processCpuNanos();
      Session session = netty.connect(client, port, "load-client", "server");
      session.sync().get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      double clientCpuSeconds = (processCpuNanos() - clientCpuBefore) / 1e9;
      int records = scribes / (Integer.getInteger("syncro.edits", 0) + 1);
      // Counted in the store: reading a million records back is not part of the figure, and
      // would hold them all in the client's heap at once.
      long applied = clientStore.objectCount(
          client.repository(Item.class, String.class).model().klass());
      if (applied != records) {
        throw new IllegalStateException("caught up " + applied + " of " + records);
      }
      server.getOutputStream().write('\n');
      server.getOutputStream().flush();
      double serverCpuSeconds =
          (Long.parseLong(valueAfter(serverOut, "cpu-after ")) - serverCpuBefore) / 1e9;
      long serverHeap = Long.parseLong(valueAfter(serverOut, "peak-heap "));
      long serverLiveHeap = Long.parseLong(valueAfter(serverOut, "live-heap "));
      server.waitFor(1, TimeUnit.MINUTES);
      result(figure, Math.round((snapshot ? records : scribes) / seconds));
      result(prefix + kind + ".seconds_to_sync", Math.round(seconds * 10) / 10.0);
      result(prefix + kind + ".client_cpu_seconds", Math.round(clientCpuSeconds * 10) / 10.0);
      result(prefix + kind + ".server_cpu_seconds", Math.round(serverCpuSeconds * 10) / 10.0);
      result(prefix + kind + ".client_peak_heap_mb", LiveHeap.mostInUse() / (1024 * 1024));
      result(prefix + kind + ".client_live_heap_mb", LiveHeap.mostAfterCollection() / (1024 * 1024));
      if (fileClient) {
        // What a device keeps on disk for what it received (its log, before any compaction).
        result(prefix + kind + ".client_store_bytes_per_record",
            clientStore.usage().bytes() / Math.max(1, records));
      }
      result(prefix + kind + ".server_live_heap_mb", serverLiveHeap / (1024 * 1024));
      result(prefix + kind + ".server_peak_heap_mb", serverHeap / (1024 * 1024));
      session.disconnect();
    } finally {
      server.destroy();
      client.close();
      clientStore.close();
      if (clientDirectory != null) {
        try (var files = Files.walk(clientDirectory)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }

  /** CPU time this JVM has used, all its threads (the collector's too), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The rest of the next line starting with prefix from another JVM; other lines (a profiler's) pass. */
  private static String valueAfter(BufferedReader serverOut, String prefix) throws IOException {
    for (String line = serverOut.readLine(); line != null; line = serverOut.readLine()) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    throw new IOException("the server JVM ended without saying \"" + prefix.trim() + "\"");
  }

  private static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dsyncro.window=" + Integer.getInteger("syncro.window", 64),
        "-Dsyncro.edits=" + Integer.getInteger("syncro.edits", 0),
        "-cp", System.getProperty("java.class.path")));
    // For profiling the server's side: -Dsyncro.serverJvmOptions="-XX:StartFlightRecording=..."
    String serverOptions = System.getProperty("syncro.serverJvmOptions", "").trim();
    if (!serverOptions.isEmpty()) {
      command.addAll(Arrays.asList(serverOptions.split("\\s+")));
    }
    command.add(LoadDriver.class.getName());
    command.addAll(Arrays.asList(args));
    return command;
  }

  // ---- compaction ----

  private static void compact(int updates, int records) throws Exception {
    Path directory = Files.createTempDirectory("syncro-compact");
    long keep = Long.getLong("syncro.keep", 10L * records);
    try (FileStore store = FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM);
         Syncro node = Syncro.builder().store(store).model(Item.class)
             .retention(Retention.forever().maxScribes(keep))
             .trimInterval(java.time.Duration.ZERO).build()) {
      SyncedRepository<Item, String> items = node.repository(Item.class, String.class);
      for (int n = 0; n < updates; n++) {
        Item item = Item.number(n % records);
        item.quantity = n;
        items.save(item);
      }
      long before = Files.size(directory.resolve("syncro.log"));
      long start = System.nanoTime();
      node.trimHistory();
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = Files.size(directory.resolve("syncro.log"));
      long live = 0;
      for (String json : store.objects(items.model().klass())) {
        live += json.getBytes(StandardCharsets.UTF_8).length;
      }
      for (io.syncro.runtime.Scribe scribe : store.range(0, store.lastSequence())) {
        live += scribe.toJson().getBytes(StandardCharsets.UTF_8).length;
      }
      result("compaction.file.updates", updates);
      result("compaction.file.records", records);
      result("compaction.file.bytes_before", before);
      result("compaction.file.bytes_after", after);
      result("compaction.file.live_json_bytes", live);
      result("compaction.file.after_vs_live", Math.round(100.0 * after / live) / 100.0);
      result("compaction.file.seconds", Math.round(seconds * 100) / 100.0);
    } finally {
      try (var files = Files.walk(directory)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  // ---- fan-out ----

  /** Notes when each probe reaches a client's repository. */
  private static final class Arrivals extends ItemMap {
    private final Map<String, Long> sentAt;
    private final List<Long> latencies;
    private final Map<String, CountDownLatch> waiting;

    Arrivals(Map<String, Long> sentAt, List<Long> latencies, Map<String, CountDownLatch> waiting) {
      this.sentAt = sentAt;
      this.latencies = latencies;
      this.waiting = waiting;
    }

    @Override
    public void put(Item item) {
      super.put(item);
      Long sent = sentAt.get(item.id);
      if (sent != null) {
        synchronized (latencies) {
          latencies.add(System.nanoTime() - sent);
        }
        waiting.get(item.id).countDown();
      }
    }
  }

  /** The server here, its clients {@link FanOutReaders} in a JVM of their own. */
  private static void fanOutToReaders(int sessions, int changes) throws Exception {
    Syncro server = Syncro.builder().model(Item.class).build();
    Process readers = null;
    try (NettyTransport netty = new NettyTransport()) {
      Channel listener = netty.listen(server, 0, Session::sync);
      int port = ((InetSocketAddress) listener.localAddress()).getPort();
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
          "-cp", System.getProperty("java.class.path"), FanOutReaders.class.getName(),
          Integer.toString(port), Integer.toString(sessions)));
      readers = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader readersOut =
          new BufferedReader(new InputStreamReader(readers.getInputStream(), StandardCharsets.UTF_8));
      valueAfter(readersOut, "ready");
      SyncedRepository<Item, String> items = server.repository(Item.class, String.class);
      for (int n = 0; n < changes; n++) {
        Item probe = Item.number(n);
        probe.id = "probe-" + n;
        probe.title = FanOutReaders.SENT_AT + FanOutReaders.nowMicros();
        items.save(probe);
        String arrived = valueAfter(readersOut, "arrived ");
        if (!arrived.equals(probe.id)) {
          throw new IllegalStateException("waited for " + probe.id + ", " + arrived + " arrived");
        }
      }
      readers.getOutputStream().write('\n');
      readers.getOutputStream().flush();
      result("fanout.sessions", sessions);
      for (String figure : List.of("fanout.p50_ms", "fanout.p99_ms", "fanout.max_ms")) {
        result(figure, valueAfter(readersOut, "result " + figure + " "));
      }
      readers.waitFor(1, TimeUnit.MINUTES);
      listener.close().syncUninterruptibly();
    } finally {
      if (readers != null) {
        readers.destroy();
      }
      server.close();
    }
  }

  /** The server and its client nodes in this JVM. */
  private static void fanOutInOneJvm(int sessions, int changes) throws Exception {
    Syncro server = Syncro.builder().model(Item.class).build();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
    List<Long> latencies = new ArrayList<>(sessions * changes);
    List<Syncro> clients = new ArrayList<>();
    try (NettyTransport netty = new NettyTransport()) {
      Channel listener = netty.listen(server, 0, Session::sync);
      int port = ((InetSocketAddress) listener.localAddress()).getPort();
      for (int c = 0; c < sessions; c++) {
        Syncro client = Syncro.builder()
            .model(Item.class, String.class, new Arrivals(sentAt, latencies, waiting))
            .build();
        clients.add(client);
        netty.connect(client, port, "client-" + c, "server").sync().get(1, TimeUnit.MINUTES);
      }
      SyncedRepository<Item, String> items = server.repository(Item.class, String.class);
      for (int n = 0; n < changes; n++) {
        Item probe = Item.number(n);
        probe.id = "probe-" + n;
        CountDownLatch all = new CountDownLatch(sessions);
        waiting.put(probe.id, all);
        sentAt.put(probe.id, System.nanoTime());
        items.save(probe);
        if (!all.await(1, TimeUnit.MINUTES)) {
          throw new IllegalStateException("probe " + n + " reached " + (sessions - all.getCount())
              + " of " + sessions + " clients");
        }
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      result("fanout.one_jvm.p50_ms", millis(sorted[sorted.length / 2]));
      result("fanout.one_jvm.p99_ms", millis(sorted[(int) (sorted.length * 0.99)]));
      result("fanout.one_jvm.max_ms", millis(sorted[sorted.length - 1]));
      listener.close().syncUninterruptibly();
    } finally {
      clients.forEach(Syncro::close);
      server.close();
    }
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
  }

  // ---- recording into Redis, beside Redis itself ----

  /** Saves {@code scribes} new items through a node on a fresh RedisStore; saves per second. */
  private static double savesPerSecond(int scribes) {
    RedisStore store = (RedisStore) store("redis", null);
    try (Syncro node = Syncro.builder().store(store).model(Item.class).build()) {
      SyncedRepository<Item, String> items = node.repository(Item.class, String.class);
      long start = System.nanoTime();
      for (int n = 0; n < scribes; n++) {
        items.save(Item.number(n));
      }
      return scribes / ((System.nanoTime() - start) / 1e9);
    } finally {
      store.deleteEverything();
      store.close();
    }
  }

  private static void record(int scribes) throws Exception {
    // The first pass runs mostly before the JIT has compiled the save path: it is reported, but
    // the figure compared with Redis is the second pass's, in the same JVM, into a fresh store.
    double coldPerSecond = savesPerSecond(scribes);
    double perSecond = savesPerSecond(scribes);

    String url = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    java.net.URI uri = java.net.URI.create(url);
    Process benchmark = new ProcessBuilder("redis-benchmark", "-h", uri.getHost(),
        "-p", Integer.toString(uri.getPort()), "-t", "set", "-n", Integer.toString(scribes), "-c", "1", "-q")
        .redirectErrorStream(true)
        .start();
    String output = new String(benchmark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    benchmark.waitFor(5, TimeUnit.MINUTES);
    Matcher set = Pattern.compile("SET: ([0-9.]+) requests per second").matcher(output);
    double redisSets = set.find() ? Double.parseDouble(set.group(1)) : Double.NaN;
    result("record.redis.cold_scribes_per_second", Math.round(coldPerSecond));
    result("record.redis.scribes_per_second", Math.round(perSecond));
    result("record.redis.redis_benchmark_set_per_second", Math.round(redisSets));
    result("record.redis.ratio", String.format(java.util.Locale.ROOT, "%.2f", perSecond / redisSets));
  }

  /** The last value printed for each figure in a command's output. */
  static Map<String, String> resultsOf(String output) {
    Map<String, String> results = new LinkedHashMap<>();
    allResultsOf(output).forEach((name, runs) -> results.put(name, runs.get(runs.size() - 1)));
    return results;
  }

  /** Every value printed for each figure, in order: one per run of the command that prints it. */
  static Map<String, List<String>> allResultsOf(String output) {
    Map<String, List<String>> results = new LinkedHashMap<>();
    output.lines().filter(line -> line.startsWith("result ")).forEach(line -> {
      String[] parts = line.split(" ");
      results.computeIfAbsent(parts[1], name -> new ArrayList<>()).add(parts[2]);
    });
    return results;
  }
}
