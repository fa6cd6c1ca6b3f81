package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.StorageException;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.testing.TinyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A save that fails leaves nothing behind: on a disk that fills up, the failed save throws, its
 * object is not kept, its scribe is neither logged nor sent to the connected server; once there
 * is room again everything carries on, and the node's objects and log agree.
 */
class FailedSaveTest extends NodeTestSupport {

  @Test
  void aSaveThatFailsOnAFullDiskIsNeitherKeptNorSent() throws Exception {
    TinyDisk disk = closeLater(TinyDisk.mount("256k"));
    Path ballast = disk.ballast(160 * 1024);
    Path data = disk.path().resolve("data");
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    FileStore clientStore = FileStore.open(data);
    Syncro client = Syncro.builder().store(clientStore).model(Memo.class).build();
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));
    pipe.second().sync().get(10, TimeUnit.SECONDS);
    pipe.first().sync().get(10, TimeUnit.SECONDS);

    // Memos of many sizes, so that the disk fills up at every point of a save, between its
    // scribe and its object too, as it would in real use.
    java.util.Random random = new java.util.Random(42);
    List<String> saved = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int n = 0; failed.size() < 40 && n < 2_000; n++) {
      String id = "m" + n;
      try {
        memos(client).save(new Memo(id, "x".repeat(20 + random.nextInt(3_000))));
        saved.add(id);
      } catch (StorageException e) {
        failed.add(id);
      }
    }
    assertThat(saved).as("the disk took some saves before it filled").isNotEmpty();
    assertThat(failed).hasSize(40);

    assertThat(memos(client).findAll()).extracting(memo -> memo.id)
        .containsExactlyInAnyOrderElementsOf(saved);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(memos(server).findAll()).extracting(memo -> memo.id)
            .containsExactlyInAnyOrderElementsOf(saved));
    pipe.second().ping().get(10, TimeUnit.SECONDS); // whatever was sent has arrived by now
    assertThat(memos(server).findAll()).extracting(memo -> memo.id).doesNotContainAnyElementsOf(failed);

    // Room again: the next save goes through, and both sides hold the same.
    Files.delete(ballast);
    memos(client).save(new Memo("after", "room again"));
    saved.add("after");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(memos(server).findAll()).containsExactlyInAnyOrderElementsOf(memos(client).findAll()));

    pipe.close();
    client.close();
    clientStore.close();
    try (FileStore reopened = FileStore.open(data)) {
      assertThat(LogAndObjects.stored(reopened, "Memo")).containsOnlyKeys(saved)
          .isEqualTo(LogAndObjects.replayed(reopened, "Memo"));
    }
    assertThatThrownBy(() -> memos(client).save(new Memo("closed", "no")))
        .as("a closed store refuses, saying so").isInstanceOf(StorageException.class)
        .hasMessageContaining("closed");
  }
}
