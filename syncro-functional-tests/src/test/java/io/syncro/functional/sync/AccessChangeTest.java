package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.functional.Note;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.RedisStore;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Changing who sees a record, as the README's owner-and-readers {@code Note} does it, with a
 * server and clients alice and bob that trust it, over real loopback sockets: a reader added
 * gets the record whole, a reader taken off loses it (and is told), online or offline, in every
 * store, and across a fleet.
 */
class AccessChangeTest extends NodeTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path directory;

  private Syncro server;
  private Syncro alice;
  private Syncro bob;
  private TcpLink toAlice;
  private TcpLink toBob;
  private final List<Note> removedAtBob = new CopyOnWriteArrayList<>();

  private static Syncro serverOn(ScribeStore store) {
    return Syncro.builder().store(store).model(Note.class).nodeUid("server")
        .repairInterval(Duration.ofMillis(200)).build();
  }

  /** A server on which only a note's owner creates, changes or deletes it. */
  private static Syncro ownersOnlyServer() {
    return Syncro.builder().model(Note.class).nodeUid("server")
        .authorizer(Note.class, change -> change.current() == null
            ? change.proposed().owner.equals(change.client())
            : change.current().owner.equals(change.client()))
        .build();
  }

  private Syncro client(String uid) {
    return closeLater(Syncro.builder().model(Note.class).trust("server").nodeUid(uid).build());
  }

  private void start(String storeKind) throws Exception {
    server = closeLater(serverOn(store(storeKind, directory.resolve("server"))));
    alice = client("alice");
    bob = client("bob");
    notes(bob).onRemoved(removedAtBob::add);
    toAlice = connect(server, "alice", alice);
    toBob = connect(server, "bob", bob);
  }

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  private static void setReaders(Syncro node, String id, String... readers) {
    Note note = notes(node).find(id).orElseThrow();
    note.readers = Set.of(readers);
    notes(node).save(note);
  }

  private static void retitle(Syncro node, String id, String title) {
    Note note = notes(node).find(id).orElseThrow();
    note.title = title;
    notes(node).save(note);
  }

  /** Alice's note n1, on the server and alice, not shared. */
  private void aliceCreatesNote() {
    notes(alice).save(new Note("n1", "groceries", "alice"));
    await().atMost(PATIENCE).until(() -> notes(server).find("n1").isPresent());
  }

  /** Alice's note n1, shared with bob, on every node. */
  private void aliceSharesNoteWithBob() {
    aliceCreatesNote();
    setReaders(alice, "n1", "bob");
    awaitBobHolds("n1");
  }

  /** Alice takes away bob, who is offline, from n1's readers; he reconnects and loses it. */
  private void aliceTakesOfflineBobOffAndHeReconnects() throws Exception {
    setReaders(alice, "n1");
    awaitServersNote(note -> note.readers.isEmpty());
    toBob = connect(server, "bob", bob);

    awaitBobWithout("n1");
  }

  /** Waits until the server's n1 is as the test's changes left it. */
  private void awaitServersNote(java.util.function.Predicate<Note> settled) {
    await().atMost(PATIENCE).until(() -> notes(server).find("n1").filter(settled).isPresent());
  }

  private void awaitBobHolds(String id) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(notes(bob).find(id)).isEqualTo(notes(server).find(id)).isPresent();
      assertThat(notes(alice).find(id)).isEqualTo(notes(server).find(id));
    });
  }

  private void awaitBobWithout(String id) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(notes(bob).find(id)).isEmpty();
      assertThat(notes(server).find(id)).isPresent().isEqualTo(notes(alice).find(id));
    });
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "redis"})
  void aReaderAddedOnlineGetsTheNoteWholeAndItsLaterEdits(String storeKind) throws Exception {
    start(storeKind);
    aliceCreatesNote();
    retitle(alice, "n1", "groceries for saturday");

    setReaders(alice, "n1", "bob");
    awaitBobHolds("n1");

    retitle(alice, "n1", "groceries for sunday");
    awaitBobHolds("n1");
    assertThat(notes(bob).find("n1")).get().extracting(note -> note.title)
        .isEqualTo("groceries for sunday");
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "redis"})
  void aReaderAddedWhileOfflineGetsTheNoteOnItsNextSync(String storeKind) throws Exception {
    start(storeKind);
    aliceCreatesNote();
    toBob.close();

    setReaders(alice, "n1", "bob");
    retitle(alice, "n1", "shared while bob was away");
    awaitServersNote(note -> note.readers.contains("bob") && note.title.startsWith("shared"));
    toBob = connect(server, "bob", bob);

    awaitBobHolds("n1");
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "redis"})
  void aReaderTakenOffLosesItsCopyAndIsTold(String storeKind) throws Exception {
    start(storeKind);
    aliceSharesNoteWithBob();

    setReaders(alice, "n1");
    awaitBobWithout("n1");

    assertThat(removedAtBob).extracting(note -> note.id).containsExactly("n1");
    // A removal is not bob's destroy: nothing of it goes back up, the note stays for others.
    retitle(alice, "n1", "still alice's");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(notes(server).find("n1"))
        .get().extracting(note -> note.title).isEqualTo("still alice's"));
    toBob.close();
    toBob = connect(server, "bob", bob);
    awaitBobWithout("n1");
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "redis"})
  void aReaderTakenOffWhileOfflineLosesItsCopyOnItsNextSync(String storeKind) throws Exception {
    start(storeKind);
    aliceSharesNoteWithBob();
    toBob.close();

    aliceTakesOfflineBobOffAndHeReconnects();

    assertThat(removedAtBob).extracting(note -> note.id).containsExactly("n1");
  }

  /**
   * A catch-up that brings an edit of a note and then its removal tells the reader's listeners
   * in that order, once the page is written: the edit first, the note then already gone.
   */
  @Test
  void aReaderTakenOffAfterAnEditWhileOfflineHearsOfBothInOrder() throws Exception {
    start("file");
    aliceSharesNoteWithBob();
    List<String> heardByBob = new CopyOnWriteArrayList<>();
    notes(bob).onPeerChange(change -> heardByBob.add(change.type().wireName() + " "
        + change.id() + " " + change.record().map(note -> note.title).orElse("(gone)")));
    notes(bob).onRemoved(note -> heardByBob.add("removed " + note.id));
    toBob.close();

    retitle(alice, "n1", "edited while bob was away");
    aliceTakesOfflineBobOffAndHeReconnects();

    assertThat(heardByBob).containsExactly("update n1 (gone)", "removed n1");
  }

  @Test
  void sharedTakenOffAndSharedAgainWhileOfflineEndsWithTheNote() throws Exception {
    start("file");
    aliceCreatesNote();
    toBob.close();

    setReaders(alice, "n1", "bob");
    retitle(alice, "n1", "first share");
    setReaders(alice, "n1");
    retitle(alice, "n1", "while bob may not see it");
    setReaders(alice, "n1", "bob");
    awaitServersNote(note -> note.readers.contains("bob") && note.title.startsWith("while"));
    toBob = connect(server, "bob", bob);

    awaitBobHolds("n1");
    assertThat(notes(bob).find("n1")).get().extracting(note -> note.title)
        .isEqualTo("while bob may not see it");
  }

  @Test
  void aReaderTakenOffWithUnsentEditsHasThemRefusedAndEndsWithoutTheNote() throws Exception {
    start("memory");
    aliceCreatesNote();
    retitle(alice, "n1", "alice's title");
    setReaders(alice, "n1", "bob");
    awaitBobHolds("n1");
    toBob.close();

    retitle(bob, "n1", "bob's edit, made offline");
    aliceTakesOfflineBobOffAndHeReconnects();

    assertThat(notes(server).find("n1")).get().extracting(note -> note.title)
        .isEqualTo("alice's title");
    assertThat(notes(alice).find("n1")).get().extracting(note -> note.title)
        .isEqualTo("alice's title");
  }

  /** Bob, a reader of alice's n1, retitles it offline; then alice takes him off its readers. */
  private void bobEditsOfflineThenAliceTakesHimOff(String storeKind) throws Exception {
    start(storeKind);
    aliceSharesNoteWithBob();
    toBob.close();
    nextMillisecond();
    retitle(bob, "n1", "bob's edit, made offline");
    nextMillisecond();
    setReaders(alice, "n1");
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "file", "redis"})
  void aReadersEditThatCrossedItsRemovalAndANewShareEndsOnTheReaderAsOnTheServer(String storeKind)
      throws Exception {
    bobEditsOfflineThenAliceTakesHimOff(storeKind);
    setReaders(alice, "n1", "bob");
    awaitServersNote(note -> note.readers.contains("bob"));
    toBob = connect(server, "bob", bob);

    // Bob's edit reaches the server after the share, which was recorded without it: the server
    // takes it (bob may see and change n1 again), and bob, who gets the removal and the share
    // after sending it, must end with it too.
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(notes(server).find("n1")).get().extracting(note -> note.title)
          .isEqualTo("bob's edit, made offline");
      assertThat(notes(bob).find("n1")).isEqualTo(notes(server).find("n1"));
      assertThat(notes(alice).find("n1")).isEqualTo(notes(server).find("n1"));
    });
    assertThat(removedAtBob).extracting(note -> note.id).containsExactly("n1");
  }

  @Test
  void aRefusedEditOfARecordTheReaderNoLongerSeesStaysRefusedWhenItIsSharedAgain()
      throws Exception {
    bobEditsOfflineThenAliceTakesHimOff("memory");
    awaitServersNote(note -> note.readers.isEmpty());
    toBob = connect(server, "bob", bob);
    awaitBobWithout("n1"); // his edit is refused: he may no longer see n1

    setReaders(alice, "n1", "bob");
    awaitBobHolds("n1");
    assertThat(notes(server).find("n1")).get().extracting(note -> note.title)
        .isEqualTo("groceries");
  }

  @Test
  void aRefusedCreateOfAnIdItsSenderMaySeeEndsAsTheRecordDoesEverywhere() throws Exception {
    server = closeLater(ownersOnlyServer());
    alice = client("alice");
    bob = client("bob");
    toAlice = connect(server, "alice", alice);
    toBob = connect(server, "bob", bob);
    aliceCreatesNote();
    toBob.close();
    setReaders(alice, "n1", "bob"); // bob is offline: he has not got n1 yet
    awaitServersNote(note -> note.readers.contains("bob"));
    toAlice.close();
    nextMillisecond();
    notes(alice).delete("n1");
    nextMillisecond();
    notes(bob).save(new Note("n1", "bob's own n1", "bob")); // later than alice's destroy

    toBob = connect(server, "bob", bob);
    // Bob's create is refused (n1 is alice's); he may see n1, and gets it as it is.
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(notes(bob).find("n1"))
        .isEqualTo(notes(server).find("n1")).get().extracting(note -> note.owner)
        .isEqualTo("alice"));
    toAlice = connect(server, "alice", alice);

    // Alice's destroy is older than bob's refused create, which counts nowhere: n1 ends
    // destroyed on bob's device too.
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(notes(server).find("n1")).isEmpty();
      assertThat(notes(bob).find("n1")).isEmpty();
    });
  }

  @Test
  void aRemovalAnsweringARefusedChangeLeavesALaterChangeTheServerTook() throws Exception {
    server = closeLater(ownersOnlyServer());
    bob = client("bob");
    toBob = connect(server, "bob", bob);
    toBob.close();
    notes(bob).save(new Note("n1", "for alice", "alice")); // a create for another: refused
    notes(bob).delete("n1");
    notes(bob).save(new Note("n1", "bob's own", "bob")); // taken

    toBob = connect(server, "bob", bob);

    // The server answers the refused create with a removal, which reaches bob after he made
    // the create it takes: bob keeps that one.
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(notes(server).find("n1")).get()
        .extracting(note -> note.title).isEqualTo("bob's own"));
    toBob.first().ping().get(30, TimeUnit.SECONDS); // what the server sent bob has arrived
    assertThat(notes(bob).find("n1")).isEqualTo(notes(server).find("n1"));
  }

  /** Waits until the wall clock has passed the last stamp taken, so the next one is later. */
  private static void nextMillisecond() {
    long now = System.currentTimeMillis();
    await().atMost(PATIENCE).until(() -> System.currentTimeMillis() > now + 1);
  }

  @Test
  void anIdCreatedOfflineOverARecordDestroyedMeanwhileEndsDestroyedForEveryone() throws Exception {
    start("memory");
    Syncro carol = client("carol");
    TcpLink toCarol = connect(server, "carol", carol);
    aliceCreatesNote(); // private to alice: bob never sees it, nor its destroy
    toBob.close();
    Note bobs = new Note("n1", "bob's own n1", "bob");
    bobs.readers = Set.of("carol");
    notes(bob).save(bobs);
    nextMillisecond();
    notes(server).delete("n1");
    await().atMost(PATIENCE).until(() -> notes(alice).find("n1").isEmpty());

    toBob = connect(server, "bob", bob);

    // Bob's create is older than the destroy: the record stays destroyed, and bob, who never got
    // the destroy, gets it now; carol, to whom bob's create is passed on, gets it too.
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(notes(bob).find("n1")).isEmpty();
      assertThat(notes(server).find("n1")).isEmpty();
    });
    toCarol.first().ping().get(30, TimeUnit.SECONDS); // what was pushed to carol has arrived
    assertThat(notes(carol).find("n1")).isEmpty();
    assertThat(notes(alice).find("n1")).isEmpty();
  }

  @Test
  void aRecordBroughtBackOverEditsThatOutlivedItsDestroyReachesItsCreatorWhole() throws Exception {
    start("memory");
    aliceCreatesNote();
    toAlice.close();
    toBob.close();
    nextMillisecond();
    notes(server).delete("n1");
    nextMillisecond();
    notes(bob).save(new Note("n1", "bob's title", "bob")); // after the destroy: brings n1 back
    nextMillisecond();
    retitle(alice, "n1", "alice's later title"); // alice never saw the destroy

    toAlice = connect(server, "alice", alice);
    await().atMost(PATIENCE).until(() -> notes(alice).find("n1").isEmpty());
    toBob = connect(server, "bob", bob);

    // On the server, bob's create brings n1 back with alice's later title, kept from its earlier
    // life; bob, who sent the create, must end with the same record.
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(notes(server).find("n1")).get().extracting(note -> note.title, note -> note.owner)
          .containsExactly("alice's later title", "bob");
      assertThat(notes(bob).find("n1")).isEqualTo(notes(server).find("n1"));
    });
    assertThat(notes(alice).find("n1")).as("alice may not see bob's n1").isEmpty();
  }

  @Test
  void aReaderTakenOffWhoCreatesTheIdAfterItsDestroyKeepsItsOwnRecord() throws Exception {
    start("memory");
    Note shared = new Note("n0", "bob has synced", "alice");
    shared.readers = Set.of("bob");
    notes(alice).save(shared);
    awaitBobHolds("n0"); // bob's next sync goes on from there, not from a snapshot
    toBob.close();
    aliceCreatesNote();
    setReaders(alice, "n1", "bob");
    nextMillisecond();
    setReaders(alice, "n1"); // bob is offline: his removal waits for his next sync
    nextMillisecond();
    notes(alice).delete("n1");
    await().atMost(PATIENCE).until(() -> notes(server).find("n1").isEmpty());
    nextMillisecond();
    notes(bob).save(new Note("n1", "bob's own", "bob")); // after the destroy: taken as new

    toBob = connect(server, "bob", bob);

    // The removal that took bob off alice's n1 reaches him after he created his own n1, which the
    // server takes: bob keeps it, as the server does.
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(notes(server).find("n1")).get()
        .extracting(note -> note.title, note -> note.owner).containsExactly("bob's own", "bob"));
    toBob.first().ping().get(30, TimeUnit.SECONDS); // what the server sent bob has arrived
    assertThat(notes(bob).find("n1")).isEqualTo(notes(server).find("n1"));
    assertThat(notes(alice).find("n1")).as("alice may not see bob's n1").isEmpty();
  }

  @Test
  void aReaderWhoTakesItselfOffLosesItsCopyToo() throws Exception {
    start("memory");
    aliceSharesNoteWithBob();

    setReaders(bob, "n1"); // no authorizer on this server: any reader may change readers

    awaitBobWithout("n1");
    assertThat(notes(alice).find("n1")).get().extracting(note -> note.readers)
        .isEqualTo(Set.of());
  }

  @Test
  void aRemovalFromAPeerThisNodeDoesNotTrustChangesNothing() throws Exception {
    server = closeLater(serverOn(store("memory", directory)));
    alice = client("alice");
    toAlice = connect(server, "alice", alice);
    aliceCreatesNote();
    // The server trusts no client: a removal from alice would delete its copy for nobody's
    // good, so it is refused.
    RawPeer impostor = new RawPeer(server, "alice");

    List<JsonNode> answer = impostor.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":"
        + "\"Note\",\"type\":\"destroy\",\"data\":[\"n1\"],\"removal\":true},\"id\":1}");

    assertThat(answer).anySatisfy(error -> {
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("code").asInt()).isEqualTo(403);
    });
    assertThat(notes(server).find("n1")).isPresent().isEqualTo(notes(alice).find("n1"));
  }

  @Test
  void anOriginalPeerTakenOffIsRefusedWithoutAnErrorAndLosesItsCopy() throws Exception {
    server = closeLater(serverOn(store("memory", directory)));
    alice = client("alice");
    connect(server, "alice", alice);
    notes(alice).save(new Note("n1", "groceries", "alice"));
    setReaders(alice, "n1", "ruby");
    await().atMost(PATIENCE).until(() -> notes(server).find("n1").isPresent());
    setReaders(alice, "n1");
    awaitServersNote(note -> note.readers.isEmpty());
    // An original peer syncs without paging, and exits on any error it receives.
    RawPeer ruby = new RawPeer(server, "ruby");
    ruby.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");

    List<JsonNode> answer = ruby.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\","
        + "\"type\":\"update\",\"data\":[\"n1\",{\"title\":\"edited by ruby\"}]},\"id\":2}");

    assertThat(answer).noneSatisfy(message ->
        assertThat(message.path("type").asText()).isEqualTo("error"));
    assertThat(answer).anySatisfy(response -> {
      assertThat(response.path("type").asText()).isEqualTo("response");
      assertThat(response.path("id").asInt()).isEqualTo(2);
      assertThat(response.path("result").asBoolean()).isTrue();
    });
    assertThat(answer).anySatisfy(removal -> {
      assertThat(removal.path("scribe").path("type").asText()).isEqualTo("destroy");
      assertThat(removal.path("scribe").path("data").get(0).asText()).isEqualTo("n1");
    });
    assertThat(notes(server).find("n1")).get().extracting(note -> note.title)
        .isEqualTo("groceries");
  }

  @Test
  void aReaderAddedOnOneFleetNodeGetsTheNoteThroughAnother() throws Exception {
    String prefix = TestRedis.uniquePrefix("access-fleet");
    RedisStore store1 = RedisStore.builder().url(TestRedis.url()).prefix(prefix).build();
    closeLater(() -> {
      store1.deleteEverything();
      store1.close();
    });
    RedisStore store2 = closeLater(RedisStore.builder().url(TestRedis.url()).prefix(prefix).build());
    Syncro node1 = closeLater(serverOn(store1));
    Syncro node2 = closeLater(serverOn(store2));
    alice = client("alice");
    bob = client("bob");
    notes(bob).onRemoved(removedAtBob::add);
    connect(node1, "alice", alice);
    connect(node2, "bob", bob);
    server = node2;

    aliceSharesNoteWithBob();

    setReaders(alice, "n1");
    awaitBobWithout("n1");
    assertThat(removedAtBob).extracting(note -> note.id).containsExactly("n1");
    assertThat(notes(node1).find("n1")).isEqualTo(notes(node2).find("n1"))
        .isEqualTo(Optional.of(notes(alice).find("n1").orElseThrow()));
  }
}
