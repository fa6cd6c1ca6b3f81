package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncro.ScribeType;
import io.syncro.functional.Note;
import io.syncro.netty.SyncroClient;
import io.syncro.netty.SyncroServer;
import io.syncro.runtime.IdConflict;
import io.syncro.runtime.PeerRefusal;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What Syncro defends against a client that is hostile (or only knows too much), each attack
 * made as such a client would, over real sessions, against a server built as the README's
 * "Limit who sees and changes what" shows: nobody takes over another's record by its id, nobody
 * guesses tokens at speed, and a record handed over ends on its former owner's device as the
 * access rules say, never silently unchangeable. The refusals log on purpose.
 */
class HostileClientDefencesTest extends NodeTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path directory;

  /** The README's server: readers may edit a note; only its owner deletes it or gives it away. */
  private Syncro readmeServer() {
    return readmeServerOn(new io.syncro.runtime.store.MemoryStore());
  }

  private Syncro readmeServerOn(io.syncro.runtime.store.ScribeStore store) {
    return closeLater(Syncro.builder().nodeUid("server").store(store).model(Note.class)
        .authorizer(Note.class, change -> {
          if (change.current() == null) {
            return change.client().equals(change.proposed().owner);
          }
          boolean owner = change.client().equals(change.current().owner);
          return owner || (change.type() == ScribeType.UPDATE && !change.changes("owner"));
        })
        .build());
  }

  /** A client node as the README builds one: it trusts its server. */
  private Syncro client(String uid) {
    return closeLater(Syncro.builder().nodeUid(uid).model(Note.class).trust("server").build());
  }

  private static Note note(String id, String title, String owner, String... readers) {
    Note note = new Note(id, title, owner);
    note.readers = Set.of(readers);
    return note;
  }

  private static Note retitled(SyncedRepository<Note, String> notes, String id, String title) {
    Note note = notes.find(id).orElseThrow();
    note.title = title;
    notes.save(note);
    return note;
  }

  @Nested
  class NobodyTakesOverAnothersRecordByItsId {

    @Test
    void aSquattersCreateFirstLeavesTheOwnerHerOfflineWorkAndTellsBothSides() throws Exception {
      Syncro server = readmeServer();
      List<IdConflict<Note, String>> serverTold = new CopyOnWriteArrayList<>();
      notes(server).onIdConflict(serverTold::add);
      Syncro alice = client("alice");
      List<IdConflict<Note, String>> aliceTold = new CopyOnWriteArrayList<>();
      notes(alice).onIdConflict(aliceTold::add);
      Syncro mallory = client("mallory");
      connect(server, "mallory", mallory);

      // Alice, offline, writes a3 and revises it; mallory, who guessed the id, takes it first.
      notes(alice).save(note("a3", "alice's plan", "alice"));
      retitled(notes(alice), "a3", "alice's plan, revised");
      notes(mallory).save(note("a3", "mallory's", "mallory"));
      await().atMost(PATIENCE).until(() -> notes(server).find("a3").isPresent());
      TcpLink toAlice = connect(server, "alice", alice);

      await().atMost(PATIENCE).until(() -> aliceTold.size() == 1);
      assertThat(notes(server).find("a3")).get()
          .extracting(n -> n.title, n -> n.owner).containsExactly("mallory's", "mallory");
      assertThat(notes(mallory).find("a3")).isEqualTo(notes(server).find("a3"));
      assertThat(notes(alice).find("a3")).as("alice keeps her work").get()
          .extracting(n -> n.title, n -> n.owner).containsExactly("alice's plan, revised", "alice");
      IdConflict<Note, String> toldAlice = aliceTold.get(0);
      assertThat(toldAlice.peer()).isEqualTo("server");
      assertThat(toldAlice.id()).isEqualTo("a3");
      assertThat(toldAlice.ours()).isEqualTo(notes(alice).find("a3"));
      assertThat(toldAlice.theirs()).as("she may not see mallory's note").isEmpty();
      assertThat(toldAlice.refusedHere()).isFalse();
      assertThat(serverTold).singleElement().satisfies(conflict -> {
        assertThat(conflict.peer()).isEqualTo("alice");
        assertThat(conflict.ours()).isEqualTo(notes(server).find("a3"));
        assertThat(conflict.theirs()).get().extracting(n -> n.title).isEqualTo("alice's plan");
        assertThat(conflict.refusedHere()).isTrue();
      });

      // Her later edits stay hers, on her device: not sent, told nothing more.
      retitled(notes(alice), "a3", "alice's plan, third draft");
      toAlice.second().ping().get(30, TimeUnit.SECONDS); // her edit has reached the server
      toAlice.first().ping().get(30, TimeUnit.SECONDS); // and whatever it answered, her
      assertThat(notes(alice).find("a3")).get().extracting(n -> n.title)
          .isEqualTo("alice's plan, third draft");
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");
      assertThat(aliceTold).hasSize(1);

      // As the README says to: alice gives her note an id nobody can guess, and it syncs.
      String newId = UUID.randomUUID().toString();
      notes(alice).rekey("a3", note(newId, "alice's plan, third draft", "alice"));
      await().atMost(PATIENCE).until(() -> notes(server).find(newId).isPresent());
      assertThat(notes(alice).find("a3")).isEmpty();
      assertThat(notes(server).find("a3")).get().extracting(n -> n.owner).isEqualTo("mallory");
    }

    @Test
    void aRecordKeptUnderATakenIdGivesWayWhenTheOtherIsSharedWithItsHolder() throws Exception {
      Syncro server = readmeServer();
      Syncro alice = client("alice");
      List<IdConflict<Note, String>> aliceTold = new CopyOnWriteArrayList<>();
      notes(alice).onIdConflict(aliceTold::add); // told, but she keeps her note under a3
      Syncro mallory = client("mallory");
      TcpLink toMallory = connect(server, "mallory", mallory);
      notes(mallory).save(note("a3", "mallory's", "mallory"));
      notes(alice).save(note("a3", "alice's plan", "alice"));
      await().atMost(PATIENCE).until(() -> notes(server).find("a3").isPresent());
      TcpLink toAlice = connect(server, "alice", alice);
      await().atMost(PATIENCE).until(() -> aliceTold.size() == 1);

      // Her edits of her own a3 stay hers: not sent, so never taken for edits of mallory's.
      retitled(notes(alice), "a3", "alice's plan, revised");
      toAlice.second().ping().get(30, TimeUnit.SECONDS);
      // Mallory shares her a3 with alice: the two cannot both be a3 on alice's device.
      Note shared = notes(mallory).find("a3").orElseThrow();
      shared.readers = Set.of("alice");
      notes(mallory).save(shared);

      await().atMost(PATIENCE).until(() -> aliceTold.size() == 2);
      assertThat(aliceTold.get(1).ours()).get().extracting(n -> n.title)
          .isEqualTo("alice's plan, revised");
      assertThat(aliceTold.get(1).theirs()).get().extracting(n -> n.title).isEqualTo("mallory's");
      await().atMost(PATIENCE).until(() -> notes(alice).find("a3").equals(notes(server).find("a3")));
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title, n -> n.owner)
          .containsExactly("mallory's", "mallory");
      toMallory.first().ping().get(30, TimeUnit.SECONDS);
      assertThat(notes(mallory).find("a3")).isEqualTo(notes(server).find("a3"));
    }

    /** Alice's create of a3, as a Java node sends it; her edit of it; each answered. */
    private List<JsonNode> aliceSends(Syncro server, String scribe, long id) {
      RawPeer alice = new RawPeer(server, "alice");
      alice.send("{\"type\":\"sync\",\"from\":null,\"page\":true,\"id\":100}");
      return alice.send("{\"type\":\"add_scribe\",\"scribe\":" + scribe + ",\"id\":" + id + "}");
    }

    private static final String ALICES_CREATE = "{\"klass\":\"Note\",\"type\":\"create\","
        + "\"data\":{\"id\":\"a3\",\"title\":\"alice's\",\"owner\":\"alice\"},\"id\":\"1\"}";
    private static final String ALICES_EDIT = "{\"klass\":\"Note\",\"type\":\"update\","
        + "\"data\":[\"a3\",{\"title\":\"alice's, edited\"}],\"id\":\"2\"}";

    /** Nothing alice received tells her to drop a3, nor shows her mallory's. */
    private void assertNoRemovalAndNothingOfMallorys(List<JsonNode> received) {
      assertThat(received).noneSatisfy(message -> assertThat(message.toString())
          .containsAnyOf("\"removal\":true", "mallory"));
    }

    /** A server holding mallory's a3, to which alice's session sent her own create of a3. */
    private RawPeer aliceRefusedAsTaken(Syncro server) {
      notes(server).save(note("a3", "mallory's", "mallory"));
      RawPeer alice = new RawPeer(server, "alice");
      alice.send("{\"type\":\"sync\",\"from\":null,\"page\":true,\"id\":100}");
      alice.send("{\"type\":\"add_scribe\",\"scribe\":" + ALICES_CREATE + ",\"id\":1}");
      answerTo(alice, 1);
      return alice;
    }

    /** Mallory's a3 shared with alice, on the server. */
    private void shareWithAlice(Syncro server) {
      Note shared = notes(server).find("a3").orElseThrow();
      shared.readers = Set.of("alice");
      notes(server).save(shared);
    }

    @Test
    void editsOfItsOwnRecordThatArriveAfterTheOtherIsSharedWithItAreNotTakenForEditsOfThat() {
      Syncro server = readmeServer();
      RawPeer alice = aliceRefusedAsTaken(server);
      // Mallory shares her a3 with alice before alice's offline edit of her own a3 arrives.
      shareWithAlice(server);

      alice.send("{\"type\":\"add_scribe\",\"scribe\":" + ALICES_EDIT + ",\"id\":2}");
      assertThat(answerTo(alice, 2).path("code").asInt()).isEqualTo(403);
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");

      // Her node took mallory's a3 in place of her own, and says so; what follows is of that one.
      alice.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\",\"type\":\"update\","
          + "\"data\":[\"a3\",{}],\"released\":true,\"id\":\"3\"},\"id\":3}");
      alice.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
          + "\"type\":\"update\",\"data\":[\"a3\",{\"title\":\"mallory's, read by alice\"}],"
          + "\"id\":\"4\"},\"id\":4}");
      assertThat(answerTo(alice, 3).toString()).isEqualTo("{\"type\":\"response\",\"id\":3,\"result\":true}");
      assertThat(answerTo(alice, 4).toString()).isEqualTo("{\"type\":\"response\",\"id\":4,\"result\":true}");
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title)
          .isEqualTo("mallory's, read by alice");
    }

    /**
     * Seed 3503 of the convergence simulation: a client whose create was refused as taken never
     * got the notice (it came back behind the history kept, and a snapshot holds no notices).
     * When the record is shared with it, it is told again first, so that its own gives way
     * there instead of merging with the share; and when it sends the record back whole anyway,
     * the answer tells it again before the removal, instead of a removal its kept edits would
     * revive, which it would send again, and again.
     */
    @Test
    void aClientThatMissedTheTakenNoticeIsToldAgainBeforeTheRecordReachesIt() {
      Syncro server = readmeServer();
      RawPeer alice = aliceRefusedAsTaken(server);
      int missed = alice.received().size(); // what came so far, the notice too, she never read

      shareWithAlice(server);

      await().atMost(PATIENCE).until(() -> indexOf(alice, missed, "\"title\":\"mallory's\"") >= 0);
      int share = indexOf(alice, missed, "\"title\":\"mallory's\"");
      int toldAgain = indexOf(alice, missed, "\"taken\":true");
      assertThat(toldAgain).as("told again that a3 is taken").isNotNegative();
      assertThat(toldAgain).as("before the share").isLessThan(share);

      // Her node merged the share into her own a3 all the same, and passes it on whole.
      JsonNode whole = alice.received().get(share).path("scribe").deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) whole).put("id", "2");
      int before = alice.received().size();
      alice.send("{\"type\":\"add_scribe\",\"scribe\":" + whole + ",\"id\":2}");
      assertThat(answerTo(alice, 2).path("code").asInt()).isEqualTo(403);
      await().atMost(PATIENCE).until(() -> indexOf(alice, before, "\"removal\":true") >= 0);
      int toldOnceMore = indexOf(alice, before, "\"taken\":true");
      assertThat(toldOnceMore).as("told again when it sends the record back").isNotNegative();
      assertThat(toldOnceMore).as("before the removal that answers it")
          .isLessThan(indexOf(alice, before, "\"removal\":true"));
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");
    }

    /**
     * The same loop without a claim: a client passes a record it sees back whole, with its own
     * edit kept from before a removal, stamped after this node's value. The answer, a removal
     * and the record whole, would not end it (the kept edit wins over the record there, and it
     * is passed on again): this node stamps its value again, for everyone who sees the record.
     */
    @Test
    void aRecordPassedBackWholeWithALaterEditIsAnsweredWithThisNodesValueStampedAgain() {
      Syncro server = readmeServer();
      Note shared = note("a3", "mallory's", "mallory");
      shared.readers = Set.of("alice");
      notes(server).save(shared);
      RawPeer alice = new RawPeer(server, "alice");
      alice.send("{\"type\":\"sync\",\"from\":null,\"page\":true,\"id\":100}");
      await().atMost(PATIENCE).until(() -> indexOf(alice, 0, "\"title\":\"mallory's\"") >= 0);
      com.fasterxml.jackson.databind.node.ObjectNode whole =
          alice.received().get(indexOf(alice, 0, "\"title\":\"mallory's\"")).path("result")
              .get(0).deepCopy();
      String stamp = whole.path("stamp").asText();
      // Her edit came after mallory's value; this node's clock moves past it as it sees it.
      long later = Long.parseLong(stamp.substring(0, stamp.indexOf('.'))) + 1;
      ((com.fasterxml.jackson.databind.node.ObjectNode) whole.path("data"))
          .put("title", "alice's, kept");
      whole.putObject("stamps").put("title", later + ".0.alice");
      whole.put("id", "1");

      int before = alice.received().size();
      alice.send("{\"type\":\"add_scribe\",\"scribe\":" + whole + ",\"id\":1}");
      assertThat(answerTo(alice, 1).path("code").asInt()).isEqualTo(403);

      await().atMost(PATIENCE).until(() -> indexOf(alice, before, "\"type\":\"update\"") >= 0);
      JsonNode restamp = alice.received().get(indexOf(alice, before, "\"type\":\"update\""))
          .path("scribe");
      assertThat(restamp.path("data").get(1).path("title").asText()).isEqualTo("mallory's");
      String restamped = restamp.path("stamp").asText();
      assertThat(Long.parseLong(restamped.substring(0, restamped.indexOf('.'))))
          .as("stamped after alice's kept edit, so that it wins on her device").isGreaterThan(later);
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");
    }

    /** The index of the first message from {@code from} on whose text holds {@code text}; -1. */
    private static int indexOf(RawPeer peer, int from, String text) {
      List<JsonNode> received = peer.received();
      for (int i = from; i < received.size(); i++) {
        if (received.get(i).toString().contains(text)) {
          return i;
        }
      }
      return -1;
    }

    /** The node's answer to the peer's request {@code id}, once it came. */
    private JsonNode answerTo(RawPeer peer, long id) {
      await().atMost(PATIENCE).until(() -> peer.received().stream().anyMatch(message ->
          isAnswerTo(message, id)));
      return peer.received().stream().filter(message -> isAnswerTo(message, id)).findFirst()
          .orElseThrow();
    }

    private boolean isAnswerTo(JsonNode message, long id) {
      String type = message.path("type").asText();
      return (type.equals("response") || type.equals("error")) && message.path("id").asLong() == id;
    }

    @Test
    void whoseRecordAnIdHoldsOutlivesARestartOfTheServersFileStore() {
      java.nio.file.Path files = directory.resolve("server");
      io.syncro.runtime.store.FileStore first = io.syncro.runtime.store.FileStore.open(files);
      try (Syncro before = Syncro.builder().nodeUid("server").store(first).model(Note.class)
          .authorizer(Note.class, change -> change.current() == null
              ? change.client().equals(change.proposed().owner)
              : change.client().equals(change.current().owner))
          .build()) {
        notes(before).save(note("a3", "mallory's", "mallory"));
        aliceSends(before, ALICES_CREATE, 1);
      } finally {
        first.close();
      }

      Syncro after = readmeServerOn(closeLater(io.syncro.runtime.store.FileStore.open(files)));
      RawPeer alice = new RawPeer(after, "alice");
      alice.send("{\"type\":\"sync\",\"from\":\"1\",\"page\":true,\"id\":100}");
      alice.send("{\"type\":\"add_scribe\",\"scribe\":" + ALICES_EDIT + ",\"id\":2}");
      answerTo(alice, 2);
      alice.send("{\"type\":\"noop\",\"id\":9}");
      answerTo(alice, 9); // what the node sent her after its answer has come too

      assertNoRemovalAndNothingOfMallorys(alice.received());
      assertThat(notes(after).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");
    }

    @Test
    void whoseRecordAnIdHoldsIsKnownToEveryNodeOfAFleet() {
      String prefix = io.syncro.runtime.testing.TestRedis.uniquePrefix("defences-fleet");
      io.syncro.runtime.store.RedisStore store1 = io.syncro.runtime.store.RedisStore.builder()
          .url(io.syncro.runtime.testing.TestRedis.url()).prefix(prefix).build();
      closeLater(() -> {
        store1.deleteEverything();
        store1.close();
      });
      io.syncro.runtime.store.RedisStore store2 = closeLater(io.syncro.runtime.store.RedisStore
          .builder().url(io.syncro.runtime.testing.TestRedis.url()).prefix(prefix).build());
      Syncro node1 = readmeServerOn(store1);
      Syncro node2 = readmeServerOn(store2);
      notes(node1).save(note("a3", "mallory's", "mallory"));

      List<JsonNode> created = aliceSends(node1, ALICES_CREATE, 1);
      RawPeer alice = new RawPeer(node2, "alice");
      alice.send("{\"type\":\"sync\",\"from\":\"1\",\"page\":true,\"id\":100}");
      alice.send("{\"type\":\"add_scribe\",\"scribe\":" + ALICES_EDIT + ",\"id\":2}");
      answerTo(alice, 2);
      alice.send("{\"type\":\"noop\",\"id\":9}");
      answerTo(alice, 9);

      assertThat(created).anySatisfy(error -> assertThat(error.path("code").asInt()).isEqualTo(403));
      assertNoRemovalAndNothingOfMallorys(alice.received());
      assertThat(notes(node2).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");
    }

    /**
     * Alice's create of a3 was refused as taken; before the notice came she deleted that note and
     * wrote another a3, which the server took (the id was free there by then). The late notice
     * is about the first: her second a3 stays hers, and she is not told to give it a new id.
     * Found by the convergence simulation (seed 1271), where re-keying it left the server with
     * a copy under the old id its author no longer had.
     */
    @Test
    void aLateNoticeAboutACreateSheDeletedLeavesHerNewerRecordUnderTheIdAlone() {
      Syncro alice = client("alice");
      List<IdConflict<Note, String>> aliceTold = new CopyOnWriteArrayList<>();
      notes(alice).onIdConflict(aliceTold::add);
      String first = notes(alice).save(note("a3", "the first", "alice")).orElseThrow()
          .stamp().orElseThrow().toString();
      notes(alice).delete("a3");
      String second = notes(alice).save(note("a3", "the second", "alice")).orElseThrow()
          .stamp().orElseThrow().toString();
      RawPeer server = new RawPeer(alice, "server");

      server.send(takenNotice(first, 1));
      assertThat(aliceTold).as("about the first a3, which she deleted").isEmpty();
      assertThat(notes(alice).find("a3")).get().extracting(n -> n.title).isEqualTo("the second");

      server.send(takenNotice(second, 2));
      assertThat(aliceTold).as("about the one she holds").singleElement()
          .satisfies(conflict -> assertThat(conflict.ours()).get().extracting(n -> n.title)
              .isEqualTo("the second"));
    }

    private String takenNotice(String stampOfTheRefusedCreate, long id) {
      return "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\",\"type\":\"update\","
          + "\"data\":[\"a3\",{}],\"stamp\":\"" + stampOfTheRefusedCreate + "\",\"taken\":true,"
          + "\"id\":\"" + id + "\"},\"id\":" + id + "}";
    }

    @Test
    void anOriginalPeerSquattedOnIsAnsweredTrueAndKeepsItsRecord() {
      Syncro server = readmeServer();
      notes(server).save(note("a3", "mallory's", "mallory"));
      RawPeer original = new RawPeer(server, "alice");
      original.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");

      List<JsonNode> create = original.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":"
          + "\"Note\",\"type\":\"create\",\"data\":{\"id\":\"a3\",\"title\":\"alice's\","
          + "\"owner\":\"alice\"},\"id\":\"1\"},\"id\":2}");
      List<JsonNode> edit = original.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":"
          + "\"Note\",\"type\":\"update\",\"data\":[\"a3\",{\"title\":\"alice's, edited\"}],"
          + "\"id\":\"2\"},\"id\":3}");

      assertThat(create).extracting(JsonNode::toString)
          .containsExactly("{\"type\":\"response\",\"id\":2,\"result\":true}");
      assertThat(edit).extracting(JsonNode::toString)
          .containsExactly("{\"type\":\"response\",\"id\":3,\"result\":true}");
      assertThat(original.received()).as("neither a removal nor a notice it cannot read")
          .noneMatch(message -> message.has("scribe"));
      assertThat(notes(server).find("a3")).get().extracting(n -> n.title).isEqualTo("mallory's");
    }
  }

  @Nested
  class NobodyGuessesTokensAtSpeed {
    private final AtomicInteger tokensChecked = new AtomicInteger();

    private Syncro tokenServer(Duration firstBackoff) {
      return closeLater(Syncro.builder().nodeUid("server").model(Note.class)
          .authenticator(token -> {
            tokensChecked.incrementAndGet();
            return token.equals("alice's token") ? Optional.of("alice") : Optional.empty();
          })
          .authBackoff(5, firstBackoff, firstBackoff.multipliedBy(8))
          .build());
    }

    private void send(OutputStream out, String json) throws IOException {
      byte[] payload = json.getBytes(StandardCharsets.UTF_8);
      out.write(new byte[] {(byte) (payload.length >> 8), (byte) payload.length});
      out.write(payload);
      out.flush();
    }

    /** One guess on a new connection from {@code from}; the server's answer's code (0: none). */
    private int guess(SyncroServer listening, InetAddress from, String token) throws IOException {
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.port()));
        socket.setSoTimeout(10_000);
        send(socket.getOutputStream(), "{\"type\":\"auth\",\"token\":\"" + token + "\",\"id\":1}");
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        JsonNode message = JSON.readTree(answer);
        return message.path("type").asText().equals("error") ? message.path("code").asInt() : 200;
      }
    }

    @Test
    void guessesOverManyConnectionsFromOneAddressAreRefusedUncheckedAfterAFew() throws Exception {
      Syncro server = tokenServer(Duration.ofMinutes(1));
      SyncroServer listening = closeLater(SyncroServer.builder(server).start());
      InetAddress attacker = InetAddress.getByName("127.0.0.1");

      int refusedUnchecked = 0;
      for (int attempt = 0; attempt < 300; attempt++) { // a new connection for every guess
        int code = guess(listening, attacker, "guess-" + attempt);
        assertThat(code).isIn(401, 429);
        refusedUnchecked += code == 429 ? 1 : 0;
      }

      assertThat(tokensChecked.get()).as("5 free, then one, then a minute's wait").isEqualTo(6);
      assertThat(refusedUnchecked).isEqualTo(294);
      assertThat(server.authenticationFailures()).isEqualTo(6);
      assertThat(server.throttledAuthentications()).isEqualTo(294);
      // Another address is not held back: alice signs in at once.
      assertThat(guess(listening, InetAddress.getByName("127.0.0.2"), "alice's token")).isEqualTo(200);
    }

    @Test
    void aClientBehindTheSameAddressSignsInOnceTheBackOffEnds() throws Exception {
      Syncro server = tokenServer(Duration.ofMillis(500));
      SyncroServer listening = closeLater(SyncroServer.builder(server).start());
      for (int attempt = 0; attempt < 6; attempt++) {
        guess(listening, InetAddress.getLoopbackAddress(), "guess-" + attempt);
      }
      assertThat(guess(listening, InetAddress.getLoopbackAddress(), "guess")).isEqualTo(429);

      // A 429 is not a refused token: the client waits, tries again and gets in.
      Syncro alice = client("alice");
      SyncroClient connected = closeLater(SyncroClient.builder(alice).server("127.0.0.1", listening.port())
          .token("alice's token").start());
      connected.firstSync().get(30, TimeUnit.SECONDS);
      assertThat(server.clients()).anyMatch(client -> client.uid().equals("alice"));
    }

    @Test
    void guessesSpreadOverManyAddressesAreHeldBackByTheNodesLimit() {
      Syncro server = closeLater(Syncro.builder().model(Note.class)
          .authenticator(token -> {
            tokensChecked.incrementAndGet();
            return Optional.empty();
          })
          .maxAuthFailuresPerMinute(30)
          .build());

      int refusedUnchecked = 0;
      for (int address = 0; address < 100; address++) {
        RawSink sink = new RawSink();
        Session session = server.accept(sink, "198.51.100." + address);
        JsonNode answer = sink.exchange(session, "{\"type\":\"auth\",\"token\":\"guess\",\"id\":1}")
            .get(0);
        refusedUnchecked += answer.path("code").asInt() == 429 ? 1 : 0;
      }

      assertThat(tokensChecked.get()).as("a minute's worth, and what refilled meanwhile")
          .isBetween(30, 32);
      assertThat(refusedUnchecked).isEqualTo(100 - tokensChecked.get());
    }
  }

  @Nested
  class AHandedOverRecordFollowsTheNewRules {

    /** Owners change their notes; readers only read them. */
    private Syncro ownersOnlyServer() {
      return closeLater(Syncro.builder().nodeUid("server").model(Note.class)
          .authorizer(Note.class, change -> change.current() == null
              ? change.client().equals(change.proposed().owner)
              : change.client().equals(change.current().owner))
          .build());
    }

    @Test
    void keptAsAReaderHerOfflineEditIsRefusedPutBackAndSheIsTold() throws Exception {
      Syncro server = ownersOnlyServer();
      Syncro alice = client("alice");
      List<PeerRefusal<Note, String>> aliceTold = new CopyOnWriteArrayList<>();
      notes(alice).onRefusedByPeer(aliceTold::add);
      TcpLink toAlice = connect(server, "alice", alice);
      notes(alice).save(note("a1", "the plan", "alice"));
      // Alice gives a1 to bob, and stays a reader.
      Note handedOver = notes(alice).find("a1").orElseThrow();
      handedOver.owner = "bob";
      handedOver.readers = Set.of("alice");
      notes(alice).save(handedOver);
      await().atMost(PATIENCE).until(() -> notes(server).find("a1").map(n -> n.owner)
          .equals(Optional.of("bob")));
      toAlice.close();

      retitled(notes(alice), "a1", "alice's edit, made offline");
      connect(server, "alice", alice);

      await().atMost(PATIENCE).until(() -> aliceTold.size() == 1);
      assertThat(aliceTold.get(0).id()).isEqualTo("a1");
      assertThat(aliceTold.get(0).record()).get().extracting(n -> n.title).isEqualTo("the plan");
      assertThat(notes(alice).find("a1")).isEqualTo(notes(server).find("a1"));
      assertThat(notes(server).find("a1")).get().extracting(n -> n.title, n -> n.owner)
          .containsExactly("the plan", "bob");
    }

    @Test
    void takenOffItHerCopyIsRemovedEvenWithAnOfflineEdit() throws Exception {
      Syncro server = ownersOnlyServer();
      Syncro alice = client("alice");
      List<Note> removed = new CopyOnWriteArrayList<>();
      notes(alice).onRemoved(removed::add);
      TcpLink toAlice = connect(server, "alice", alice);
      notes(alice).save(note("a1", "the plan", "alice"));
      await().atMost(PATIENCE).until(() -> notes(server).find("a1").isPresent());
      toAlice.close();
      // The server hands it over while alice is away (an administrator, say), and she edits it.
      Note handedOver = notes(server).find("a1").orElseThrow();
      handedOver.owner = "bob";
      notes(server).save(handedOver);
      retitled(notes(alice), "a1", "alice's edit, made offline");

      connect(server, "alice", alice);

      await().atMost(PATIENCE).until(() -> notes(alice).find("a1").isEmpty());
      assertThat(removed).extracting(n -> n.id).containsExactly("a1");
      assertThat(notes(server).find("a1")).get().extracting(n -> n.title, n -> n.owner)
          .containsExactly("the plan", "bob");
    }
  }
}
