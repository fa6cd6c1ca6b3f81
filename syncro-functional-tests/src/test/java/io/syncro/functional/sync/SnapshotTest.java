package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.functional.Note;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.store.StoreUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that syncs from nothing with its server gets the server's records whole, as it may
 * see them, not the history of every change to them; then the log from where the snapshot holds,
 * and live pushes. Over real loopback sockets, in every store.
 */
class SnapshotTest extends NodeTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path directory;

  private Syncro server(String storeKind, int pageSize) {
    ScribeStore store = store(storeKind, directory.resolve("server"));
    return closeLater(Syncro.builder().store(store).model(Note.class)
        .nodeUid("server").syncPageSize(pageSize).build());
  }

  private Syncro client(String uid, ScribeStore store) {
    return closeLater(Syncro.builder().store(store).model(Note.class).trust("server")
        .nodeUid(uid).build());
  }

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  private static List<Note> sorted(Syncro node) {
    return notes(node).findAll().stream().sorted(Comparator.comparing(note -> note.id)).toList();
  }

  /** {@code records} notes that bob may read, each edited {@code edits} times. */
  private static void writeHistory(Syncro server, int records, int edits) {
    for (int i = 0; i < records; i++) {
      Note note = new Note("n" + i, "created", "alice");
      note.readers = Set.of("bob");
      notes(server).save(note);
    }
    for (int edit = 0; edit < edits; edit++) {
      for (int i = 0; i < records; i++) {
        Note note = notes(server).find("n" + i).orElseThrow();
        note.title = "edit " + edit;
        notes(server).save(note);
      }
    }
  }

  @ParameterizedTest(name = "{0} store, {1} records edited {2} times")
  @CsvSource({"memory, 100, 999", "file, 100, 99", "disk, 100, 99", "redis, 100, 99"})
  void aFreshClientGetsEachRecordOnceNotItsHistory(String storeKind, int records, int edits)
      throws Exception {
    Syncro server = server(storeKind, 30);
    writeHistory(server, records, edits);
    MemoryStore bobsStore = closeLater(new MemoryStore());
    Syncro bob = client("bob", bobsStore);

    TcpLink link = connect(server, "bob", bob);

    assertThat(sorted(bob)).hasSize(records).isEqualTo(sorted(server));
    assertThat(bobsStore.lastSequence()).as("bob applied one scribe per record")
        .isEqualTo(records);
    assertThat(bobsStore.client("server").cursor()).as("where the snapshot holds")
        .isEqualTo(Long.toString(records * (edits + 1L)));

    // Live from there: an edit is pushed, and a later sync finds nothing more to fetch.
    Note first = notes(server).find("n0").orElseThrow();
    first.title = "after the snapshot";
    notes(server).save(first);
    await().atMost(PATIENCE).until(() -> notes(bob).find("n0").orElseThrow().title
        .equals("after the snapshot"));
    link.close();
    connect(server, "bob", bob);
    assertThat(bobsStore.lastSequence()).isEqualTo(records + 1L);
    assertThat(sorted(bob)).isEqualTo(sorted(server));
  }

  /**
   * A device keeping its records on disk only: the snapshot's records are read back from its
   * log, after a restart too, and its offline edit of one reaches the server.
   */
  @Test
  void aClientKeepingItsRecordsOnDiskGetsTheSnapshotAndKeepsItAcrossARestart() throws Exception {
    Syncro server = server("file", 30);
    writeHistory(server, 200, 4);
    Path bobsDirectory = directory.resolve("bob");
    FileStore bobsStore = FileStore.open(bobsDirectory, FileStore.Durability.DISK,
        FileStore.Records.ON_DISK);
    Syncro bob = Syncro.builder().store(bobsStore).model(Note.class).trust("server")
        .nodeUid("bob").build();
    TcpLink link = connect(server, "bob", bob);
    assertThat(sorted(bob)).hasSize(200).isEqualTo(sorted(server));
    link.close();
    bob.close();
    bobsStore.close();

    FileStore reopened = closeLater(FileStore.open(bobsDirectory, FileStore.Durability.DISK,
        FileStore.Records.ON_DISK));
    Syncro bobAgain = client("bob", reopened);
    assertThat(sorted(bobAgain)).isEqualTo(sorted(server));
    Note offline = notes(bobAgain).find("n7").orElseThrow();
    offline.title = "edited offline";
    notes(bobAgain).save(offline);
    connect(server, "bob", bobAgain);
    assertThat(notes(server).find("n7").orElseThrow().title).isEqualTo("edited offline");
    assertThat(sorted(bobAgain)).isEqualTo(sorted(server));
  }

  @Test
  void aFreshClientOfAServerWithNothingYetGetsItsChangesLive() throws Exception {
    Syncro server = server("memory", 30);
    MemoryStore bobsStore = closeLater(new MemoryStore());
    Syncro bob = client("bob", bobsStore);
    connect(server, "bob", bob);

    Note note = new Note("n1", "the server's first", "alice");
    note.readers = Set.of("bob");
    notes(server).save(note);

    await().atMost(PATIENCE).until(() -> notes(bob).find("n1").isPresent());
    assertThat(bobsStore.client("server").cursor()).isEqualTo("1");
  }

  @Test
  void aClientTheServerHeardFromGetsTheLogWithTheDestroyOfItsRecord() throws Exception {
    Syncro server = server("memory", 30);
    Syncro bob = client("bob", closeLater(new MemoryStore()));
    TcpLink link = connect(server, "bob", bob);
    notes(bob).save(new Note("n1", "bob's", "bob")); // his cursor of the server stays empty
    await().atMost(PATIENCE).until(() -> notes(server).find("n1").isPresent());
    link.close();
    notes(server).delete("n1");

    connect(server, "bob", bob);

    // A snapshot holds the records as they are: it would not take bob's n1 away.
    await().atMost(PATIENCE).until(() -> notes(bob).find("n1").isEmpty());
  }

  @Test
  void aRecordCreatedAgainAfterTheSnapshotCarriesWhatItsMergedFieldsKept() throws Exception {
    Syncro server = closeLater(ConvergenceSimulation.withModels(Syncro.builder())
        .nodeUid("server").build());
    SyncedRepository<Board, String> boards = server.repository(Board.class, String.class);
    boards.save(new Board("b0", "first"));
    Board first = boards.find("b0").orElseThrow();
    first.high = 21;
    boards.save(first);
    boards.delete("b0"); // its high (the greatest ever set) is kept, should it come back
    Syncro bob = closeLater(ConvergenceSimulation.withModels(Syncro.builder()).trust("server")
        .nodeUid("bob").build());
    connect(server, "bob", bob);

    boards.save(new Board("b0", "second")); // comes back with its high of 21

    assertThat(boards.find("b0").orElseThrow().high).isEqualTo(21);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(
        bob.repository(Board.class, String.class).find("b0").map(Board::toString))
        .isEqualTo(boards.find("b0").map(Board::toString)));
  }

  @ParameterizedTest(name = "{0} store")
  @CsvSource({"memory", "file", "redis"})
  void aNodeSaysHowMuchItsStoreKeeps(String storeKind) {
    Syncro server = server(storeKind, 30);
    writeHistory(server, 10, 4);
    notes(server).delete("n0");

    StoreUsage usage = server.storeUsage();

    assertThat(usage.scribes()).isEqualTo(10 * 5 + 1);
    assertThat(usage.records()).isEqualTo(9);
    assertThat(usage.tombstones()).as("n0's history outlives it").isEqualTo(1);
    if (storeKind.equals("memory")) {
      assertThat(usage.bytes()).as("a memory store cannot tell").isEqualTo(-1);
    } else {
      assertThat(usage.bytes()).isPositive();
    }
  }

  @Test
  void aSnapshotHoldsOnlyTheRecordsTheClientMaySee() throws Exception {
    Syncro server = server("memory", 30);
    notes(server).save(new Note("private", "alice's alone", "alice"));
    Note shared = new Note("shared", "for bob too", "alice");
    shared.readers = Set.of("bob");
    notes(server).save(shared);
    Syncro bob = client("bob", closeLater(new MemoryStore()));

    connect(server, "bob", bob);

    assertThat(sorted(bob)).containsExactly(shared);
  }

  /**
   * Records go into a snapshot as their stored text when it is as the wire writes it; text the
   * wire escapes otherwise (non-ASCII, markup, control characters) is written again, so frames
   * count the bytes they hold. In every store: each keeps the text as it was written.
   */
  @ParameterizedTest(name = "{0} store")
  @CsvSource({"memory", "file", "disk", "redis"})
  void aSnapshotCarriesEveryCharacterAsTheRecordHoldsIt(String storeKind) throws Exception {
    Syncro server = server(storeKind, 30);
    String[] titles = {"plain", "caf\u00e9 cr\u00e8me", "<b>bold</b> & more", "bell\u0007",
        "astral \ud83d\ude00", "quote \" and \\ backslash"};
    for (int i = 0; i < titles.length; i++) {
      Note note = new Note("t" + i, "first", "alice");
      note.readers = Set.of("bob");
      notes(server).save(note);
      // Stored as edited: a record's text after an update is written by Jackson's own escapes.
      note.title = titles[i];
      notes(server).save(note);
    }
    Syncro bob = client("bob", closeLater(new MemoryStore()));

    connect(server, "bob", bob);

    assertThat(sorted(bob)).hasSize(titles.length).isEqualTo(sorted(server));
  }

  @Test
  void aSnapshotTakenWhileTheServerKeepsWritingEndsEqual() throws Exception {
    Syncro server = server("file", 7);
    writeHistory(server, 60, 3);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    Thread writer = new Thread(() -> {
      for (int i = 0; writing.get(); i++) {
        String id = "n" + (i % 80); // edits the first 60, and creates 20 more
        Note note = notes(server).find(id).orElseGet(() -> new Note(id, "new", "alice"));
        note.title = "written during the snapshot " + i;
        note.readers = Set.of("bob");
        notes(server).save(note);
        if (i % 13 == 0) {
          notes(server).delete("n" + (i % 60));
        }
        written.incrementAndGet();
      }
    }, "writer");
    writer.start();
    try {
      await().atMost(PATIENCE).until(() -> written.get() > 50);
      Syncro bob = client("bob", closeLater(new MemoryStore()));
      connect(server, "bob", bob);
      await().atMost(PATIENCE).until(() -> written.get() > 300);
      writing.set(false);
      writer.join(TimeUnit.SECONDS.toMillis(30));

      await().atMost(PATIENCE).untilAsserted(() ->
          assertThat(sorted(bob)).isEqualTo(sorted(server)));
    } finally {
      writing.set(false);
      writer.join(TimeUnit.SECONDS.toMillis(30));
    }
  }
}
