package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file store adds to the contract: ownership, torn writes, failing disks, compaction.
 */
class FileStoreTest {
  @TempDir Path directory;

  /** A create of a record {@code {"id":name}}, to everyone; shared with the other file store tests. */
  static Scribe scribe(String name) {
    return Scribe.builder()
        .klass("Test")
        .type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", name))
        .recipients(Recipients.everyone())
        .build();
  }

  /** The ids of the records every scribe stored creates, in order. */
  static List<String> names(ScribeStore store) {
    return store.since("anyone", null, Integer.MAX_VALUE).stream()
        .map(s -> s.data().path("id").asText())
        .toList();
  }

  @ParameterizedTest
  @EnumSource(FileStore.Records.class)
  void aCreatesObjectIsItsDataWrittenOnceAndReadBackEitherWay(FileStore.Records records)
      throws IOException {
    String data = "{\"id\":\"n1\",\"title\":\"written once \\u00e9\"}";
    String edited = "{\"id\":\"n1\",\"title\":\"edited\"}";
    try (FileStore store = FileStore.open(directory, FileStore.Durability.DISK, records)) {
      store.append(Scribe.builder().klass("Test").type(ScribeType.CREATE).dataJson(data)
          .recipients(Recipients.everyone()).build(), ObjectChange.put("Test", "n1", data));
      assertThat(store.object("Test", "n1")).contains(data);
      store.append(Scribe.builder().klass("Test").type(ScribeType.CREATE)
          .dataJson("{\"id\":\"n2\"}").recipients(Recipients.everyone()).build(),
          ObjectChange.put("Test", "n2", edited.replace("n1", "n2")));
    }
    String log = Files.readString(directory.resolve(FileStore.LOG_FILE),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(log.split("written once", -1)).as("the create's JSON is in the log once").hasSize(2);
    for (FileStore.Records reopened : FileStore.Records.values()) {
      try (FileStore store = FileStore.open(directory, FileStore.Durability.DISK, reopened)) {
        assertThat(store.object("Test", "n1")).contains(data);
        assertThat(store.object("Test", "n2")).as("an object that is not its create's data")
            .contains(edited.replace("n1", "n2"));
        assertThat(store.since("anyone", null, 10)).extracting(Scribe::dataJson)
            .containsExactly(data, "{\"id\":\"n2\"}");
      }
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    try (FileStore first = FileStore.open(directory)) {
      assertThatThrownBy(() -> FileStore.open(directory))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("is in use by another process");
      first.append(scribe("still works"));
    }
    try (FileStore again = FileStore.open(directory)) {
      assertThat(names(again)).containsExactly("still works");
    }
  }

  @Test
  void aTornWriteAtTheEndIsCutOffAndEverythingBeforeItKept() throws IOException {
    try (FileStore store = FileStore.open(directory)) {
      store.append(scribe("a"));
      store.append(scribe("b"));
    }
    Path log = directory.resolve(FileStore.LOG_FILE);
    long whole = Files.size(log);
    try (FileStore store = FileStore.open(directory)) {
      store.append(scribe("c"));
    }
    // The last record loses its tail, as if the process died in the middle of writing it.
    byte[] bytes = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(bytes, (int) (whole + (bytes.length - whole) / 2)));

    try (FileStore store = FileStore.open(directory)) {
      assertThat(names(store)).containsExactly("a", "b");
      assertThat(Files.size(log)).isEqualTo(whole);
      assertThat(store.append(scribe("d")).id()).isEqualTo("3");
    }
    try (FileStore store = FileStore.open(directory)) {
      assertThat(names(store)).containsExactly("a", "b", "d");
    }
  }

  @Test
  void aRecordWhoseChecksumFailsEndsTheLog() throws IOException {
    try (FileStore store = FileStore.open(directory)) {
      store.append(scribe("a"));
      store.append(scribe("b"));
    }
    Path log = directory.resolve(FileStore.LOG_FILE);
    byte[] bytes = Files.readAllBytes(log);
    bytes[bytes.length - 3] ^= 0x20; // a flipped bit in the last record's JSON
    Files.write(log, bytes);

    try (FileStore store = FileStore.open(directory)) {
      assertThat(names(store)).containsExactly("a");
    }
  }

  @Test
  void garbageAfterTheLastRecordIsCutOff() throws IOException {
    try (FileStore store = FileStore.open(directory)) {
      store.append(scribe("a"));
    }
    Path log = directory.resolve(FileStore.LOG_FILE);
    Files.write(log, new byte[] {0, 0, 0, 5, 1, 2}, StandardOpenOption.APPEND);

    try (FileStore store = FileStore.open(directory)) {
      assertThat(names(store)).containsExactly("a");
      store.append(scribe("b"));
    }
    try (FileStore store = FileStore.open(directory)) {
      assertThat(names(store)).containsExactly("a", "b");
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAClearError() throws IOException {
    Path file = Files.writeString(directory.resolve("a-file"), "not a directory");

    assertThatThrownBy(() -> FileStore.open(file.resolve("data")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("cannot create the data directory");
  }

  @Test
  void eachDurabilityKeepsWhatWasWritten() {
    for (FileStore.Durability durability : FileStore.Durability.values()) {
      Path dir = directory.resolve(durability.name());
      try (FileStore store = FileStore.open(dir, durability)) {
        store.append(scribe("kept"));
      }
      try (FileStore store = FileStore.open(dir, durability)) {
        assertThat(names(store)).as(durability.name()).containsExactly("kept");
      }
    }
  }

  @Test
  void anInterruptedWriterBreaksTheStoreForNobody() throws Exception {
    try (FileStore store = FileStore.open(directory)) {
      // A thread whose interrupt flag is set while it writes, as an application's worker that
      // is cancelled in the middle of a save would be.
      Thread interrupted = new Thread(() -> {
        for (int n = 0; n < 200; n++) {
          Thread.currentThread().interrupt();
          store.append(scribe("interrupted-" + n));
          store.putObject("Test", "interrupted-" + n, "{}");
        }
      });
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      interrupted.setUncaughtExceptionHandler((thread, failure) -> failures.add(failure));
      interrupted.start();
      interrupted.join();

      assertThat(failures).as("the interrupted thread's own writes").isEmpty();
      store.append(scribe("after")); // and every other thread still writes
      assertThat(names(store)).hasSize(201).endsWith("after");
    }
    try (FileStore reopened = FileStore.open(directory)) {
      assertThat(names(reopened)).hasSize(201);
      assertThat(reopened.objects("Test")).hasSize(200);
    }
  }
  private static Scribe edit(String id, int n) {
    return Scribe.builder()
        .klass("Test")
        .type(ScribeType.UPDATE)
        .data(Json.NODES.objectNode().put("id", id).put("n", n))
        .recipients(Recipients.everyone())
        .build();
  }

  /**
   * With either way of keeping records: a store keeping them on disk must also find each record
   * where the compaction wrote it, or, for one written meanwhile, where the tail moved it.
   */
  @ParameterizedTest
  @EnumSource(FileStore.Records.class)
  void aCompactionShrinksTheLogToWhatIsKeptWhileWritesGoOn(FileStore.Records records)
      throws Exception {
    java.util.Map<String, String> latest = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Map<String, String> histories = new java.util.concurrent.ConcurrentHashMap<>();
    try (FileStore store =
        FileStore.open(directory, FileStore.Durability.OPERATING_SYSTEM, records)) {
      for (int n = 0; n < 20_000; n++) {
        String id = "r" + n % 10;
        String json = "{\"id\":\"" + id + "\",\"n\":" + n + "}";
        String history = "{\"created\":\"" + n + "\"}";
        store.append(edit(id, n), ObjectChange.put("Test", id, json).withHistory(history));
        latest.put(id, json);
        histories.put(id, history);
      }
      long before = Files.size(directory.resolve(FileStore.LOG_FILE));
      // Another thread writes all through the compaction: nothing it writes may be lost.
      var compacting = new java.util.concurrent.atomic.AtomicBoolean(true);
      var written = new java.util.concurrent.atomic.AtomicInteger();
      var lastWritten = new java.util.concurrent.atomic.AtomicReference<String>();
      Thread writer = new Thread(() -> {
        for (int n = 0; compacting.get() || n < 100; n++) {
          String json = "{\"id\":\"w" + n + "\"}";
          store.append(edit("w" + n, n), ObjectChange.put("Test", "w" + n, json));
          latest.put("w" + n, json);
          lastWritten.set("w" + n);
          written.incrementAndGet();
          if (n % 10 == 0) {
            // Half the records the compaction copies are changed while it runs.
            String id = "r" + (n / 10) % 5;
            String changed = "{\"id\":\"" + id + "\",\"during\":" + n + "}";
            String history = "{\"created\":\"during " + n + "\"}";
            store.append(edit(id, n), ObjectChange.put("Test", id, changed).withHistory(history));
            latest.put(id, changed);
            histories.put(id, history);
            lastWritten.set(id);
          }
        }
      });
      writer.start();
      TrimResult trimmed = store.trim(Retention.forever().maxScribes(1_000), Long.MAX_VALUE,
          java.time.Instant.now());
      compacting.set(false);
      writer.join();

      long first = trimmed.firstSequence();
      long changedDuring = (written.get() + 9) / 10;
      assertThat(first).as("the newest thousand when it began: the writer had written some")
          .isBetween(19_001L, 19_001L + written.get() + changedDuring);
      assertThat(trimmed.scribesDropped()).isEqualTo(first - 1);
      long after = Files.size(directory.resolve(FileStore.LOG_FILE));
      // About 200 bytes of log per change kept (its scribe and its object), then one per object.
      assertThat(after).as("from %d bytes", before)
          .isLessThan((store.lastSequence() - first + 1) * 400L + 10 * 100L);
      assertThat(store.objects("Test")).hasSize(10 + written.get());
      latest.forEach((id, json) -> assertThat(store.object("Test", id)).as(id).contains(json));
      histories.forEach((id, history) -> assertThat(
          store.object(ObjectChange.HISTORY_PREFIX + "Test", id)).as(id).contains(history));
      assertThat(store.lastSequence()).isEqualTo(20_000 + written.get() + changedDuring);
      assertThat(store.range(0, store.lastSequence()))
          .hasSize((int) (store.lastSequence() - first + 1));
      assertThat(store.since("anyone", Long.toString(store.lastSequence() - 1), 10))
          .singleElement().satisfies(scribe -> assertThat(scribe.data().path("id").asText())
              .isEqualTo(lastWritten.get()));
    }
    try (FileStore reopened =
        FileStore.open(directory, FileStore.Durability.DISK, records)) {
      latest.forEach((id, json) -> assertThat(reopened.object("Test", id)).contains(json));
      histories.forEach((id, history) -> assertThat(
          reopened.object(ObjectChange.HISTORY_PREFIX + "Test", id)).contains(history));
      long first = reopened.firstSequence();
      assertThat(reopened.usage().lastTrimmed()).isNotNull();
      assertThat(reopened.range(first - 1, first)).singleElement()
          .satisfies(scribe -> assertThat(scribe.id()).isEqualTo(Long.toString(first)));
      assertThat(reopened.range(0, first - 1)).isEmpty();
    }
  }

  @Test
  void anUnfinishedCompactionIsClearedAwayOnOpen() throws IOException {
    try (FileStore store = FileStore.open(directory)) {
      store.append(scribe("a"));
    }
    Files.writeString(directory.resolve(FileStore.COMPACTING_FILE), "half a new log");
    try (FileStore store = FileStore.open(directory)) {
      assertThat(names(store)).containsExactly("a");
      assertThat(directory.resolve(FileStore.COMPACTING_FILE)).doesNotExist();
    }
  }
}
