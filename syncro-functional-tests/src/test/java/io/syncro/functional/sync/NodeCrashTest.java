package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.testing.KilledWriter;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that saves, updates and deletes through a node on a file store, with
 * {@code kill -9}, again and again at random points: after each kill the objects the store keeps
 * are exactly those its log of scribes describes, so no change is in the log without its object
 * or the other way round. {@code -Dsyncro.crash.kills=N} runs more kills than the 20 of a CI run;
 * {@code -Dsyncro.crash.seed=S} replays a run.
 */
class NodeCrashTest {
  private static final int KILLS = Integer.getInteger("syncro.crash.kills", 20);
  private static final long SEED = Long.getLong("syncro.crash.seed", System.nanoTime());

  @TempDir Path directory;

  @Test
  void afterEveryKillTheObjectsAgreeWithTheLog() throws Exception {
    Random random = new Random(SEED);
    int changes = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      FileStore.Durability durability = FileStore.Durability.values()[kill % 2];
      int killAfter = 1 + random.nextInt(300);
      changes += KilledWriter.run(NodeCrashWriter.class, killAfter, directory.toString(),
          "run" + kill, durability.name(), Long.toString(random.nextLong())).size();

      try (FileStore store = FileStore.open(directory)) {
        assertThat(LogAndObjects.stored(store, "Memo"))
            .as("seed %d, kill %d: the objects are what the log says", SEED, kill)
            .isEqualTo(LogAndObjects.replayed(store, "Memo"));
      }
    }
    assertThat(changes).as("the writers made changes").isGreaterThan(KILLS);
  }
}
