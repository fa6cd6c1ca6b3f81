package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.runtime.Scribe;
import io.syncro.runtime.testing.KilledWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is writing to a file store with {@code kill -9}, again and again, at random
 * points, while it also compacts the log over and over: after each kill the store opens, its log
 * is valid, every scribe whose append had returned is there unless the retention dropped it, and
 * every object it wrote is there, whether the store keeps its records in memory or only on disk,
 * and whether it appends one by one or in batches.
 * {@code -Dsyncro.crash.kills=N} runs more kills than the 20 of a CI run;
 * {@code -Dsyncro.crash.seed=S} replays a run.
 */
class FileStoreCrashTest {
  private static final int KILLS = Integer.getInteger("syncro.crash.kills", 20);
  private static final long SEED = Long.getLong("syncro.crash.seed", System.nanoTime());

  @TempDir Path directory;

  @Test
  void everyAcknowledgedScribeSurvivesKillNine() throws Exception {
    Random random = new Random(SEED);
    Map<String, String> acknowledged = new LinkedHashMap<>(); // id -> name
    int tornTails = 0;
    int duringCompaction = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      FileStore.Durability durability = FileStore.Durability.values()[kill % 2];
      // Three runs in four compact all along; the others leave more torn records at the end.
      String compact = kill % 4 == 3 ? "plain" : "compact";
      // Every way of keeping records, written and read back: one keeping them on disk must find
      // them where a compaction cut short by the kill, or the one before, left them.
      FileStore.Records records = FileStore.Records.values()[(kill / 2) % 2];
      // Half the runs append in batches, acknowledged once each batch is written.
      String batched = (kill / 4) % 2 == 1 ? "batched" : "single";
      int killAfter = 1 + random.nextInt(400);
      for (String ack : KilledWriter.run(FileStoreCrashWriter.class, killAfter,
          directory.toString(), "run" + kill, durability.name(), compact, records.name(), batched)) {
        String[] parts = ack.split(" ");
        acknowledged.put(parts[1], parts[2]);
      }
      assertThat(acknowledged).as("seed %d, kill %d: the writer wrote", SEED, kill).isNotEmpty();

      long sizeAtKill = java.nio.file.Files.size(directory.resolve(FileStore.LOG_FILE));
      if (java.nio.file.Files.exists(directory.resolve(FileStore.COMPACTING_FILE))) {
        duringCompaction++;
      }
      FileStore.Records readBack = FileStore.Records.values()[random.nextInt(2)];
      try (FileStore store = FileStore.open(directory, FileStore.Durability.DISK, readBack)) {
        if (java.nio.file.Files.size(directory.resolve(FileStore.LOG_FILE)) < sizeAtKill) {
          tornTails++;
        }
        assertThat(directory.resolve(FileStore.COMPACTING_FILE))
            .as("an unfinished compaction is cleared away on open").doesNotExist();
        long first = store.firstSequence();
        List<Scribe> all = store.range(0, store.lastSequence());
        assertThat(all).as("seed %d, kill %d: ids are dense from the first kept", SEED, kill)
            .extracting(Scribe::id)
            .containsExactlyElementsOf(java.util.stream.LongStream
                .rangeClosed(first, store.lastSequence()).mapToObj(Long::toString).toList());
        assertThat(all.size()).as("the retention was applied, no more")
            .isGreaterThanOrEqualTo((int) Math.min(FileStoreCrashWriter.KEPT_SCRIBES, store.lastSequence()));
        Map<String, String> stored = new LinkedHashMap<>();
        all.forEach(scribe -> stored.put(scribe.id(), scribe.data().path("id").asText()));
        Map<String, String> kept = new LinkedHashMap<>(acknowledged);
        kept.keySet().removeIf(id -> Long.parseLong(id) < first);
        assertThat(stored).as("seed %d, kill %d", SEED, kill).containsAllEntriesOf(kept);
        java.util.Set<String> objects = new java.util.HashSet<>();
        store.objects("Test").forEach(json -> objects.add(json.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")));
        assertThat(objects).as("seed %d, kill %d: every acknowledged object", SEED, kill)
            .containsAll(acknowledged.values());
        assertThat(Long.parseLong(store.client("peer").cursor()))
            .as("the last acknowledged cursor survives too")
            .isGreaterThanOrEqualTo(acknowledged.keySet().stream().mapToLong(Long::parseLong).max().orElse(0));
      }
    }
    // How often a kill landed in the middle of a write, for whoever runs the long version.
    System.out.printf("FileStoreCrashTest: seed %d, %d kills, %d left a torn record, %d came"
        + " during a compaction, %d scribes acknowledged%n",
        SEED, KILLS, tornTails, duringCompaction, acknowledged.size());
    assertThat(duringCompaction).as("seed %d: some kills came in the middle of a compaction", SEED)
        .isPositive();
  }
}
