package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.testing.TinyDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A file store on a disk that fills up: a real, tiny tmpfs ({@link TinyDisk}). Writes and
 * compactions fail with a clear error, the log stays valid, and writing works again once there
 * is room.
 */
class FullDiskTest {
  private TinyDisk disk;

  @BeforeEach
  void mountATinyDisk() throws Exception {
    disk = TinyDisk.mount("64k");
  }

  @AfterEach
  void unmount() throws Exception {
    disk.close();
  }

  private static Scribe scribe(int n) {
    return Scribe.builder()
        .klass("Test")
        .type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", n).put("padding", "x".repeat(1_000)))
        .recipients(Recipients.everyone())
        .build();
  }

  @Test
  void aFullDiskFailsTheWriteCleanlyAndLosesNothingAcknowledged() throws IOException {
    Path data = disk.path().resolve("data");
    Path ballast = disk.ballast(16 * 1024);
    List<String> acknowledged = new ArrayList<>();
    try (FileStore store = FileStore.open(data)) {
      assertThatThrownBy(() -> {
        for (int n = 0; n < 1_000; n++) {
          acknowledged.add(store.append(scribe(n)).id());
        }
      }).isInstanceOf(StorageException.class).hasMessageContaining("cannot write to the log");
      assertThat(acknowledged).hasSizeBetween(5, 60);

      // Still refuses while the disk is full, and says why.
      assertThatThrownBy(() -> store.append(scribe(-1))).isInstanceOf(StorageException.class);
    }

    try (FileStore store = FileStore.open(data)) {
      assertThat(store.since("anyone", null, 1_000)).extracting(Scribe::id)
          .containsExactlyElementsOf(acknowledged);
    }

    // Room again: writing goes on from where it stopped, the failed write left nothing behind.
    Files.delete(ballast);
    try (FileStore store = FileStore.open(data)) {
      assertThat(store.append(scribe(-2)).id()).isEqualTo(Long.toString(acknowledged.size() + 1L));
    }
  }
  @Test
  void aCompactionThatRunsOutOfRoomLeavesTheLogAsItWas() throws IOException {
    Path data = disk.path().resolve("data");
    try (FileStore store = FileStore.open(data)) {
      for (int n = 0; n < 30; n++) {
        store.append(scribe(n));
      }
      Path ballast = disk.ballast((int) Math.max(1024, disk.path().toFile().getUsableSpace() - 8 * 1024));

      assertThatThrownBy(() -> store.trim(Retention.forever().maxScribes(25), Long.MAX_VALUE,
          java.time.Instant.now()))
          .isInstanceOf(StorageException.class).hasMessageContaining("compaction failed");

      assertThat(data.resolve(FileStore.COMPACTING_FILE)).as("its half-written log is gone")
          .doesNotExist();
      assertThat(store.firstSequence()).as("nothing was dropped").isEqualTo(1);
      assertThat(store.range(0, 30)).hasSize(30);
      Files.delete(ballast);
      assertThat(store.append(scribe(30)).id()).isEqualTo("31");
    }
    try (FileStore store = FileStore.open(data)) {
      assertThat(store.range(0, 31)).hasSize(31);
    }
  }
}
