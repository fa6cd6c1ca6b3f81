package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.functional.Note;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.Retention;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.store.TrimResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that keeps only part of its history: clients that were away longer than it keeps
 * catch up from a snapshot that replaces what they hold, and end as the server is. Over real
 * loopback sockets, in every store.
 */
class RetentionTest extends NodeTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path directory;

  private Syncro server(String storeKind, Retention retention) {
    ScribeStore store = store(storeKind, directory.resolve("server"));
    return closeLater(Syncro.builder().store(store).model(Note.class).nodeUid("server")
        .syncPageSize(10).retention(retention).trimInterval(Duration.ZERO).build());
  }

  private Syncro client(String uid, ScribeStore store) {
    return closeLater(Syncro.builder().store(store).model(Note.class).trust("server")
        .nodeUid(uid).trimInterval(Duration.ZERO).build());
  }

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  /** The notes {@code uid} may see on a node, by id. */
  private static List<Note> visibleTo(Syncro node, String uid) {
    return notes(node).findAll().stream()
        .filter(note -> note.owner.equals(uid) || note.readers.contains(uid))
        .sorted(Comparator.comparing(note -> note.id)).toList();
  }

  private static Note note(String id, String title, String owner, String... readers) {
    Note note = new Note(id, title, owner);
    note.readers = Set.of(readers);
    return note;
  }

  private static void retitle(Syncro node, String id, String title) {
    Note note = notes(node).find(id).orElseThrow();
    note.title = title;
    notes(node).save(note);
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "disk", "redis"})
  void aClientAwayLongerThanTheHistoryKeptEndsAsTheServerIs(String storeKind) throws Exception {
    Syncro server = server(storeKind, Retention.forever().maxScribes(5));
    for (int i = 0; i < 5; i++) {
      notes(server).save(note("n" + i, "first", "alice", "bob"));
    }
    MemoryStore bobsStore = closeLater(new MemoryStore());
    Syncro bob = client("bob", bobsStore);
    TcpLink link = connect(server, "bob", bob);
    assertThat(visibleTo(bob, "bob")).hasSize(5);
    link.close();

    // While bob is away: a change, a destroy, a note he may no longer see, a new one, and
    // enough edits that the server no longer keeps any of it as scribes.
    retitle(server, "n0", "changed while bob was away");
    notes(server).delete("n2");
    Note hidden = notes(server).find("n3").orElseThrow();
    hidden.readers = Set.of();
    notes(server).save(hidden);
    notes(server).save(note("n5", "new", "alice", "bob"));
    for (int edit = 0; edit < 20; edit++) {
      retitle(server, "n4", "edit " + edit);
    }
    // And bob, offline, makes a note and edits one: the server has yet to get those.
    notes(bob).save(note("b1", "bob's own, made offline", "bob"));
    retitle(bob, "n1", "bob's offline edit");
    String bobsCursor = bobsStore.client("server").cursor();

    TrimResult trimmed = server.trimHistory();
    assertThat(trimmed.firstSequence()).as("bob's cursor %s is behind what is kept", bobsCursor)
        .isGreaterThan(Long.parseLong(bobsCursor) + 1);
    assertThat(server.storeUsage().lastTrimmed()).isNotNull();

    connect(server, "bob", bob);

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(visibleTo(bob, "bob")).isEqualTo(visibleTo(server, "bob"));
      assertThat(notes(bob).findAll()).as("nothing bob may not see").hasSize(5);
    });
    assertThat(notes(bob).find("n0").orElseThrow().title).isEqualTo("changed while bob was away");
    assertThat(notes(bob).find("n2")).as("destroyed").isEmpty();
    assertThat(notes(bob).find("n3")).as("no longer shared with bob").isEmpty();
    assertThat(notes(bob).find("n4").orElseThrow().title).isEqualTo("edit 19");
    assertThat(notes(server).find("n1").orElseThrow().title).isEqualTo("bob's offline edit");
    assertThat(notes(server).find("b1")).as("bob's offline work reached the server").isPresent();

    // Live from where the snapshot holds.
    retitle(server, "n5", "after the snapshot");
    await().atMost(PATIENCE).until(() -> notes(bob).find("n5").orElseThrow().title
        .equals("after the snapshot"));
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "disk"})
  void aClientCatchingUpWhileTheServerTrimsAllTheTimeEndsEqual(String storeKind)
      throws Exception {
    Syncro server = server(storeKind, Retention.forever().maxScribes(0));
    for (int i = 0; i < 20; i++) {
      notes(server).save(note("n" + i, "first", "alice", "bob"));
    }
    Syncro bob = client("bob", closeLater(new MemoryStore()));
    TcpLink link = connect(server, "bob", bob);
    link.close();
    for (int edit = 0; edit < 30; edit++) {
      for (int i = 0; i < 20; i++) {
        retitle(server, "n" + i, "edit " + edit);
      }
    }
    AtomicBoolean trimming = new AtomicBoolean(true);
    List<TrimResult> trims = new ArrayList<>();
    Thread trimmer = new Thread(() -> {
      while (trimming.get()) {
        trims.add(server.trimHistory());
      }
    });
    trimmer.start();
    try {
      connect(server, "bob", bob);
      for (int i = 0; i < 20; i += 3) {
        retitle(server, "n" + i, "while trimming");
      }
      await().atMost(PATIENCE).untilAsserted(() ->
          assertThat(visibleTo(bob, "bob")).isEqualTo(visibleTo(server, "bob")));
    } finally {
      trimming.set(false);
      trimmer.join();
    }
    assertThat(trims).as("the server trimmed while bob caught up")
        .anySatisfy(trim -> assertThat(trim.scribesDropped()).isPositive());
  }

  @Test
  void aNodeTrimsItsHistoryByItselfEveryTrimInterval() {
    Syncro server = closeLater(Syncro.builder().store(store("file", directory.resolve("server")))
        .model(Note.class).retention(Retention.forever().maxScribes(2))
        .trimInterval(Duration.ofMillis(50)).build());
    for (int i = 0; i < 10; i++) {
      notes(server).save(note("n" + i, "first", "alice"));
    }

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(server.storeUsage().scribes()).isEqualTo(2);
      assertThat(server.storeUsage().firstSequence()).isEqualTo(9);
      assertThat(server.storeUsage().lastTrimmed()).isNotNull();
    });
    assertThat(notes(server).findAll()).hasSize(10);
  }

  @Test
  void aClientNeverTrimsWhatItsServerHasNotYetGot() throws Exception {
    Syncro server = server("memory", Retention.forever());
    MemoryStore bobsStore = closeLater(new MemoryStore());
    Syncro bob = closeLater(Syncro.builder().store(bobsStore).model(Note.class).trust("server")
        .nodeUid("bob").retention(Retention.forever().maxScribes(0))
        .trimInterval(Duration.ZERO).build());
    for (int i = 0; i < 5; i++) {
      notes(bob).save(note("b" + i, "made offline", "bob"));
    }

    assertThat(bob.trimHistory().scribesDropped())
        .as("the server has not synced from bob since bob started").isZero();
    TcpLink link = connect(server, "bob", bob);
    assertThat(notes(server).findAll()).hasSize(5);

    // A change pushed live, even answered, is known to be there only once the server syncs
    // from past it: until then the server's cursor may be stopped before an older one.
    notes(bob).save(note("b5", "made online", "bob"));
    await().atMost(PATIENCE).until(() -> notes(server).find("b5").isPresent());
    assertThat(bob.trimHistory().scribesDropped()).as("the server synced from nothing").isZero();
    link.close();
    link = connect(server, "bob", bob);
    assertThat(bob.trimHistory().scribesDropped()).as("the server synced from 6").isEqualTo(6);

    link.close();
    notes(bob).save(note("b6", "made offline after the trim", "bob"));
    assertThat(bob.trimHistory().scribesDropped()).isZero();
    connect(server, "bob", bob);
    assertThat(notes(server).find("b6")).isPresent();
  }

  @Test
  void anOriginalPeerBehindTheHistoryKeptGetsTheRecordsAsCreates() {
    Syncro server = server("memory", Retention.forever().maxScribes(3));
    for (int i = 0; i < 4; i++) {
      notes(server).save(note("n" + i, "first", "alice", "original"));
    }
    for (int edit = 0; edit < 10; edit++) {
      retitle(server, "n1", "edit " + edit);
    }
    server.trimHistory();
    RawPeer original = new RawPeer(server, "original");

    // Its cursor, 2, is behind the first scribe kept, 12.
    List<JsonNode> received = new ArrayList<>(
        original.send("{\"type\":\"sync\",\"from\":\"2\",\"id\":1}"));
    JsonNode response = received.remove(0);
    assertThat(response.path("result")).isEmpty();
    List<JsonNode> scribes = new ArrayList<>();
    while (!received.isEmpty()) {
      JsonNode message = received.remove(0);
      assertThat(message.path("type").asText()).isEqualTo("add_scribe");
      scribes.add(message.path("scribe"));
      received.addAll(original.send(
          "{\"type\":\"response\",\"id\":" + message.path("id").asLong() + ",\"result\":true}"));
    }

    assertThat(scribes).extracting(scribe -> scribe.path("type").asText())
        .containsOnly("create");
    assertThat(scribes).extracting(scribe -> scribe.path("data").path("id").asText())
        .containsExactly("n0", "n1", "n2", "n3");
    assertThat(scribes.get(1).path("data").path("title").asText()).isEqualTo("edit 9");
    assertThat(scribes.subList(0, 3)).as("only the last create carries a cursor")
        .allSatisfy(scribe -> assertThat(scribe.has("id")).isFalse());
    assertThat(scribes.get(3).path("id").asText()).isEqualTo("14");
  }
}
