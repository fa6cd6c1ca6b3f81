package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.functional.Note;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.ScribeStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Notes belong to their owner and are shared with named readers: nobody else receives them, by
 * sync or by push, and nobody changes what is not theirs.
 */
class AccessControlTest extends NodeTestSupport {

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  private static Note note(String id, String owner, String... readers) {
    Note note = new Note(id, "note " + id, owner);
    note.readers = Set.of(readers);
    return note;
  }

  /** Only owners may destroy or hand over a note; readers may edit the rest. */
  private Syncro server() {
    return server(new MemoryStore());
  }

  private Syncro server(ScribeStore store) {
    return closeLater(Syncro.builder()
        .store(store)
        .model(Note.class)
        .authorizer(Note.class, change -> {
          if (change.current() == null) {
            return change.client().equals(change.proposed().owner);
          }
          boolean owner = change.client().equals(change.current().owner);
          if (change.type() == ScribeType.DESTROY) {
            return owner;
          }
          return owner || !change.changes("owner");
        })
        .build());
  }

  /** A client node and its link to the server. */
  private record Client(Syncro node, Pipe link) {
    List<String> received() {
      return link.sentToSecond();
    }
  }

  private Client connect(Syncro server, String uid) throws Exception {
    // A client node trusts its server: every change it makes goes up, whoever may see it.
    Syncro client = closeLater(Syncro.builder().model(Note.class).trust("server").build());
    Pipe pipe = closeLater(new Pipe(server, uid, client, "server"));
    pipe.first().sync().get(10, TimeUnit.SECONDS);
    pipe.second().sync().get(10, TimeUnit.SECONDS);
    return new Client(client, pipe);
  }

  @Test
  void aSyncReturnsOnlyWhatIsAddressedToTheClient() throws Exception {
    Syncro server = server();
    notes(server).save(note("a1", "alice"));
    notes(server).save(note("a2", "alice", "bob"));
    notes(server).save(note("c1", "carol"));

    Client bob = connect(server, "bob");
    Client carol = connect(server, "carol");

    assertThat(notes(bob.node()).findAll()).extracting(n -> n.id).containsExactly("a2");
    assertThat(notes(carol.node()).findAll()).extracting(n -> n.id).containsExactly("c1");
    assertThat(bob.received()).noneSatisfy(json -> assertThat(json).contains("\"a1\""));
  }

  @Test
  void aLivePushReachesOnlyTheRecipients() throws Exception {
    Syncro server = server();
    Client alice = connect(server, "alice");
    Client bob = connect(server, "bob");
    Client carol = connect(server, "carol");

    notes(alice.node()).save(note("a1", "alice", "bob"));
    await().atMost(Duration.ofSeconds(10)).until(() -> notes(bob.node()).find("a1").isPresent());
    // Carol is connected the whole time; a note of hers, saved after, shows her link caught up.
    notes(server).save(note("marker", "carol"));
    await().atMost(Duration.ofSeconds(10)).until(() -> notes(carol.node()).find("marker").isPresent());

    assertThat(notes(carol.node()).find("a1")).isEmpty();
    assertThat(carol.received()).noneSatisfy(json -> assertThat(json).contains("\"a1\""));
    assertThat(alice.received()).as("never echoed to its author")
        .noneSatisfy(json -> assertThat(json).contains("\"a1\""));
  }

  /** The answers among what a raw peer received: responses and errors. */
  private static List<JsonNode> answers(List<JsonNode> received) {
    return received.stream().filter(message -> !message.has("scribe")).toList();
  }

  /** The scribes among what a raw peer received. */
  private static List<JsonNode> requests(List<JsonNode> received) {
    return received.stream().filter(message -> message.has("scribe")).toList();
  }

  @Test
  void nobodyChangesARecordTheyCannotSee() {
    Syncro server = server();
    notes(server).save(note("a1", "alice"));
    RawPeer mallory = new RawPeer(server, "mallory");

    List<JsonNode> update = mallory.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"update\",\"data\":[\"a1\",{\"title\":\"pwned\"}]},\"id\":1}");
    List<JsonNode> destroy = mallory.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"destroy\",\"data\":[\"a1\"]},\"id\":2}");
    List<JsonNode> takeOver = mallory.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"create\",\"data\":{\"id\":\"a1\",\"owner\":\"mallory\"}},\"id\":3}");

    for (List<JsonNode> answer : List.of(update, destroy, takeOver)) {
      assertThat(answers(answer)).singleElement().satisfies(error -> {
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("code").asInt()).isEqualTo(403);
      });
    }
    // ...and told to drop the copy it may not keep: a removal for mallory alone, stored so that
    // it reaches her even if she disconnects first, and sent when she syncs. Her create is of a
    // record of her own that happens to have a1's id: she keeps it, and is told the id is taken.
    JsonNode synced = mallory.send("{\"type\":\"sync\",\"from\":null,\"page\":true,\"id\":9}")
        .get(0).path("result");
    assertThat(synced).hasSize(3);
    for (JsonNode removal : List.of(synced.get(0), synced.get(1))) {
      assertThat(removal.path("type").asText()).isEqualTo("destroy");
      assertThat(removal.path("removal").asBoolean()).isTrue();
      assertThat(removal.path("data").get(0).asText()).isEqualTo("a1");
    }
    assertThat(synced.get(2).toString())
        .isEqualTo("{\"klass\":\"Note\",\"type\":\"update\",\"data\":[\"a1\",{}],\"taken\":true,\"id\":\"4\"}");
    assertThat(notes(server).find("a1")).hasValueSatisfying(kept -> {
      assertThat(kept.title).isEqualTo("note a1");
      assertThat(kept.owner).isEqualTo("alice");
    });
    assertThat(mallory.send("{\"type\":\"noop\",\"id\":4}")).hasSize(1);
  }

  @Test
  void aRefusedScribeIsBehindItsSendersCursorOnceItsSenderIsPutBack() {
    MemoryStore store = new MemoryStore();
    Syncro server = server(store);
    notes(server).save(note("a1", "alice"));
    RawPeer mallory = new RawPeer(server, "mallory");

    List<JsonNode> takeOver = mallory.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"create\",\"data\":{\"id\":\"a1\",\"owner\":\"mallory\"},\"id\":\"7\"},\"id\":1}");

    assertThat(answers(takeOver)).singleElement()
        .satisfies(error -> assertThat(error.path("code").asInt()).isEqualTo(403));
    // She is told the id is taken (a notice stored for her); sent again after a1 is destroyed,
    // the create would bring a1 back for everyone but her. So it is behind her cursor.
    assertThat(store.client("mallory").cursor()).isEqualTo("7");
  }

  @Test
  void theAuthorizerDecidesWhatRecipientsMayDo() {
    Syncro server = server();
    notes(server).save(note("a1", "alice", "bob"));
    RawPeer bob = new RawPeer(server, "bob");

    List<JsonNode> edit = bob.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"update\",\"data\":[\"a1\",{\"title\":\"edited by bob\"}]},\"id\":1}");
    List<JsonNode> handOver = bob.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"update\",\"data\":[\"a1\",{\"owner\":\"bob\"}]},\"id\":2}");
    List<JsonNode> destroy = bob.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"destroy\",\"data\":[\"a1\"]},\"id\":3}");
    List<JsonNode> createForAlice = bob.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"create\",\"data\":{\"id\":\"x\",\"owner\":\"alice\"}},\"id\":4}");

    assertThat(edit).singleElement().satisfies(ok -> assertThat(ok.path("result").asBoolean()).isTrue());
    for (List<JsonNode> refused : List.of(handOver, destroy, createForAlice)) {
      assertThat(answers(refused)).singleElement()
          .satisfies(error -> assertThat(error.path("code").asInt()).isEqualTo(403));
    }
    // A note bob may not have is removed from his side; the others are put back by the
    // server's state, recorded again: he receives both when he syncs.
    JsonNode synced = bob.send("{\"type\":\"sync\",\"from\":null,\"page\":true,\"id\":9}")
        .get(0).path("result");
    assertThat(synced).anySatisfy(removal -> {
      assertThat(removal.path("removal").asBoolean()).isTrue();
      assertThat(removal.path("data").get(0).asText()).isEqualTo("x");
    });
    assertThat(notes(server).findAll()).singleElement().satisfies(kept -> {
      assertThat(kept.title).isEqualTo("edited by bob");
      assertThat(kept.owner).isEqualTo("alice");
    });
  }

  @Test
  void anAuthorizerSeesTheChangeTypedAndAppliedNowhereYet() {
    List<io.syncro.runtime.ProposedChange<Note>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    Syncro server = closeLater(Syncro.builder().model(Note.class)
        .authorizer(Note.class, change -> {
          asked.add(change);
          if (change.proposed() != null) {
            change.proposed().title = "changed by the authorizer"; // a copy: changes nothing
          }
          return true;
        })
        .build());
    notes(server).save(note("a1", "alice", "bob"));
    RawPeer bob = new RawPeer(server, "bob");

    bob.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"update\",\"data\":[\"a1\",{\"title\":\"edited\",\"owner\":\"alice\"}]},\"id\":1}");

    assertThat(asked).singleElement().satisfies(change -> {
      assertThat(change.client()).isEqualTo("bob");
      assertThat(change.type()).isEqualTo(ScribeType.UPDATE);
      assertThat(change.current().title).isEqualTo("note a1");
      assertThat(change.changedFields()).containsExactly("title"); // owner is unchanged
      assertThat(change.changes("owner")).isFalse();
    });
    assertThat(notes(server).find("a1")).hasValueSatisfying(kept ->
        assertThat(kept.title).isEqualTo("edited"));
  }
}
