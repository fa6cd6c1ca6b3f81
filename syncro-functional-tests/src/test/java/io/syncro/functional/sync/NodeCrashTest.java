package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.runtime.store.FileStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
      Process writer = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              NodeCrashWriter.class.getName(), directory.toString(), "run" + kill, durability.name(),
              Long.toString(random.nextLong()))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        int acks = 0;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith("ack ") && ++acks == killAfter) {
            writer.toHandle().destroyForcibly(); // SIGKILL
          }
        }
        changes += acks;
      } finally {
        writer.destroyForcibly();
        writer.waitFor(30, TimeUnit.SECONDS);
      }

      try (FileStore store = FileStore.open(directory)) {
        assertThat(LogAndObjects.stored(store, "Memo"))
            .as("seed %d, kill %d: the objects are what the log says", SEED, kill)
            .isEqualTo(LogAndObjects.replayed(store, "Memo"));
      }
    }
    assertThat(changes).as("the writers made changes").isGreaterThan(KILLS);
  }
}
