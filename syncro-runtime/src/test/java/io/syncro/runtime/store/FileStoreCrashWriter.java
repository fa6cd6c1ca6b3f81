package io.syncro.runtime.store;

import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in its own JVM by {@link FileStoreCrashTest}: appends scribes, each with its object, to a
 * file store until it is killed, printing {@code ack ID NAME} once each append has returned,
 * and, with {@code compact}, while another thread compacts the log over and over, keeping the
 * newest {@value #KEPT_SCRIBES} scribes. With {@code batched}, it appends in batches of 1 to 40
 * ({@link ScribeStore#batch}, as a node applies a page) and prints their acks once the batch has
 * returned. Its arguments: the directory, a name for the run, the durability, {@code compact} or
 * not, where the store keeps its records, and {@code batched} or {@code single}.
 */
public final class FileStoreCrashWriter {
  static final int KEPT_SCRIBES = 150;

  private FileStoreCrashWriter() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    String run = args[1];
    FileStore.Durability durability = FileStore.Durability.valueOf(args[2]);
    boolean compact = args[3].equals("compact");
    FileStore.Records records = FileStore.Records.valueOf(args[4]);
    boolean batched = args[5].equals("batched");
    java.util.Random random = new java.util.Random();
    PrintStream out = System.out;
    try (FileStore store = FileStore.open(directory, durability, records)) {
      out.println("open " + store.lastSequence());
      out.flush();
      Thread compactor = new Thread(() -> {
        while (true) {
          store.trim(Retention.forever().maxScribes(KEPT_SCRIBES), Long.MAX_VALUE, Instant.now());
        }
      }, "compactor");
      compactor.setDaemon(true);
      if (compact) {
        compactor.start();
      }
      int[] next = {0};
      while (true) {
        int count = batched ? 1 + random.nextInt(40) : 1;
        java.util.List<String> acks = store.batch(() -> {
          java.util.List<String> appended = new java.util.ArrayList<>();
          for (int i = 0; i < count; i++) {
            appended.add(appendWithCursor(store, run + "-" + next[0]++));
          }
          return appended;
        });
        // Only now is the batch written: acknowledged no earlier.
        acks.forEach(out::println);
        out.flush();
      }
    }
  }

  /** Appends a scribe with its object, then the peer's cursor at it; returns its ack line. */
  private static String appendWithCursor(FileStore store, String name) {
    int n = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    String json = Json.NODES.objectNode().put("id", name).put("padding", "y".repeat(n % 300))
        .toString();
    Scribe stored = store.append(Scribe.builder()
        .klass("Test")
        .type(ScribeType.CREATE)
        .dataJson(json)
        .recipients(n % 3 == 0 ? Recipients.everyone() : Recipients.of(java.util.List.of("c" + n % 5)))
        .build(), ObjectChange.put("Test", name, json));
    store.saveClient(new ClientState("peer", stored.id(), true));
    return "ack " + stored.id() + " " + name;
  }
}
