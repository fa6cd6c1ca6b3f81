package io.syncro.benchmarks;

import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.RedisStore;
import io.syncro.runtime.store.ScribeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * "Since a cursor" for one client, near the end of a store holding 10^4 or 10^6 scribes, per
 * store: it must stay flat (goal: 10^6 within 1.5x of 10^4). A fifth of the scribes go to
 * everyone, the rest to one of 100 clients each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SinceCursorBenchmark {
  @Param({"memory", "file", "redis"})
  public String store;

  @Param({"10000", "1000000"})
  public int scribes;

  private ScribeStore scribeStore;
  private Path directory;
  private String cursor;

  @Setup(Level.Trial)
  public void fill() throws IOException {
    switch (store) {
      case "memory":
        scribeStore = new MemoryStore();
        break;
      case "file":
        directory = Files.createTempDirectory("syncro-bench");
        scribeStore = FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM);
        break;
      default:
        scribeStore = RedisStore.builder()
            .url(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"))
            .prefix("syncro-bench-" + UUID.randomUUID().toString().substring(0, 8))
            .notifications(false)
            .build();
    }
    for (int n = 1; n <= scribes; n++) {
      scribeStore.append(Scribe.builder()
          .klass("Item")
          .type(ScribeType.UPDATE)
          .data(Json.NODES.arrayNode().add("item-" + n).add(Json.NODES.objectNode().put("quantity", n)))
          .recipients(n % 5 == 0 ? Recipients.everyone() : Recipients.of(List.of("client-" + n % 100)))
          .build());
    }
    // 100 scribes from the end: the answer holds about 20 to everyone and 1 to the client.
    cursor = Long.toString(scribes - 100);
  }

  @Benchmark
  public List<Scribe> sinceCursor() {
    return scribeStore.since("client-7", cursor, 1_000);
  }

  @TearDown(Level.Trial)
  public void empty() throws IOException {
    if (scribeStore instanceof RedisStore) {
      ((RedisStore) scribeStore).deleteEverything();
    }
    scribeStore.close();
    if (directory != null) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
