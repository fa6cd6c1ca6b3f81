package io.syncro.runtime.store;

import static io.syncro.runtime.store.FileStoreTest.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncro.runtime.Scribe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A file store's batch ({@link ScribeStore#batch}): appends held in memory and written together,
 * seen by every read meanwhile, kept in order with other threads' writes, and written when the
 * batch fails too. What a kill in the middle of one loses is {@link FileStoreCrashTest}'s part.
 */
class FileStoreBatchTest {
  @TempDir Path directory;

  private static Scribe appendWithObject(ScribeStore store, String name) {
    return store.append(FileStoreTest.scribe(name),
        ObjectChange.put("Test", name, "{\"id\":\"" + name + "\"}"));
  }

  @ParameterizedTest
  @EnumSource(FileStore.Records.class)
  void whatABatchAppendsIsReadBackBeforeItIsWrittenAndKeptAfter(FileStore.Records records)
      throws Exception {
    try (FileStore store = FileStore.open(directory, FileStore.Durability.DISK, records)) {
      appendWithObject(store, "before");
      long logBefore = Files.size(directory.resolve(FileStore.LOG_FILE));
      store.batch(() -> {
        appendWithObject(store, "a");
        store.saveClient(new ClientState("peer", "2", true));
        try {
          assertThat(Files.size(directory.resolve(FileStore.LOG_FILE)))
              .as("held in memory until the batch ends").isEqualTo(logBefore);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        // Reads see the batch: a store keeping records on disk reads them from the log, which
        // then has to hold them.
        assertThat(store.object("Test", "a")).contains("{\"id\":\"a\"}");
        assertThat(names(store)).containsExactly("before", "a");
        appendWithObject(store, "b");
        assertThat(store.objectWithHistory("Test", "b").json()).isEqualTo("{\"id\":\"b\"}");
        return null;
      });
      assertThat(Files.size(directory.resolve(FileStore.LOG_FILE))).isGreaterThan(logBefore);
    }
    try (FileStore reopened = FileStore.open(directory, FileStore.Durability.DISK, records)) {
      assertThat(names(reopened)).containsExactly("before", "a", "b");
      assertThat(reopened.objects("Test")).hasSize(3);
      assertThat(reopened.client("peer").cursor()).isEqualTo("2");
    }
  }

  @Test
  void anotherThreadsWriteDuringABatchGoesAfterWhatTheBatchHolds() throws Exception {
    try (FileStore store = FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM)) {
      store.batch(() -> {
        appendWithObject(store, "batched-1");
        Scribe other = CompletableFuture.supplyAsync(() -> appendWithObject(store, "other"))
            .orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(other.id()).isEqualTo("2");
        appendWithObject(store, "batched-2");
        return null;
      });
    }
    try (FileStore reopened = FileStore.open(directory, FileStore.Durability.DISK)) {
      assertThat(names(reopened)).containsExactly("batched-1", "other", "batched-2");
      assertThat(reopened.range(0, 3)).extracting(Scribe::id).containsExactly("1", "2", "3");
    }
  }

  @Test
  void aBatchThatFailsHalfwayStillWritesWhatItAppended() {
    try (FileStore store = FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM)) {
      assertThatThrownBy(() -> store.batch(() -> {
        appendWithObject(store, "a");
        appendWithObject(store, "b");
        throw new IllegalStateException("the page stopped here");
      })).hasMessage("the page stopped here");
      appendWithObject(store, "after");
    }
    try (FileStore reopened = FileStore.open(directory, FileStore.Durability.DISK)) {
      assertThat(names(reopened)).containsExactly("a", "b", "after");
    }
  }

  @Test
  void nestedBatchesAreWrittenWhenTheOutermostEnds() throws Exception {
    try (FileStore store = FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM)) {
      long empty = Files.size(directory.resolve(FileStore.LOG_FILE));
      store.batch(() -> {
        store.batch(() -> appendWithObject(store, "inner"));
        try {
          assertThat(Files.size(directory.resolve(FileStore.LOG_FILE))).isEqualTo(empty);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return appendWithObject(store, "outer");
      });
      assertThat(Files.size(directory.resolve(FileStore.LOG_FILE))).isGreaterThan(empty);
    }
  }

  @Test
  void aCompactionDuringABatchKeepsEverythingTheBatchAppended() {
    try (FileStore store = FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM,
        FileStore.Records.ON_DISK)) {
      store.batch(() -> {
        for (int n = 0; n < 50; n++) {
          appendWithObject(store, "n" + n);
        }
        store.trim(Retention.forever().maxScribes(10), Long.MAX_VALUE, Instant.now());
        appendWithObject(store, "after-trim");
        return null;
      });
      assertThat(store.objects("Test")).hasSize(51);
    }
    try (FileStore reopened = FileStore.open(directory, FileStore.Durability.DISK,
        FileStore.Records.ON_DISK)) {
      assertThat(names(reopened)).hasSize(11).endsWith("n49", "after-trim");
      assertThat(reopened.objects("Test")).hasSize(51).contains("{\"id\":\"n0\"}");
    }
  }
}
