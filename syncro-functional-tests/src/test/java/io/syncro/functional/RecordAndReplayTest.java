package io.syncro.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.InMemoryRepository;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.ScribeAuthorizer;
import io.syncro.runtime.ScribeRecorder;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.SyncModels;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.SyncroConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Changes made on node A travel as JSON text and are replayed on node B, as they would across a
 * transport; B ends up equal to A.
 */
class RecordAndReplayTest {
  private final SyncModel<Note, String> model = SyncModels.of(Note.class, String.class);
  private final List<String> wire = new ArrayList<>();
  private final List<Scribe> recordedOnB = new ArrayList<>();
  private final SyncedRepository<Note, String> nodeA =
      new SyncedRepository<>(model, new InMemoryRepository<>(model), ScribeRecorder.to(s -> wire.add(s.toJson())));
  /** Node B replicates node A, so it lets A change any note (the default lets only recipients). */
  private final SyncedRepository<Note, String> nodeB = new SyncedRepository<>(model,
      new InMemoryRepository<>(model), ScribeRecorder.to(recordedOnB::add), ScribeAuthorizer.allowAll());

  private void carryToB() {
    for (String json : wire) {
      nodeB.replay(Scribe.fromJson(json).toBuilder().origin("node-a").build());
    }
    wire.clear();
  }

  private static Note note(String id, String title) {
    return new Note(id, title, "alice");
  }

  @Test
  void createUpdateAndDestroyReachTheOtherNode() {
    Note first = note("n1", "Groceries");
    nodeA.save(first);
    nodeA.save(note("n2", "Call Bob"));
    carryToB();
    assertThat(nodeB.findAll()).isEqualTo(nodeA.findAll()).hasSize(2);

    first.title = "Groceries for Sunday";
    nodeA.save(first);
    nodeA.delete("n2");
    carryToB();

    assertThat(nodeB.findAll()).isEqualTo(nodeA.findAll()).containsExactly(first);
  }

  @Test
  void anUpdateHoldsOnlyTheFieldsThatChanged() {
    Note note = note("n1", "Groceries");
    nodeA.save(note);
    wire.clear();

    note.title = "Groceries for Sunday";
    Scribe update = nodeA.save(note).orElseThrow();

    assertThat(update.type()).isEqualTo(ScribeType.UPDATE);
    assertThat(update.data().toString()).isEqualTo("[\"n1\",{\"title\":\"Groceries for Sunday\"}]");
  }

  @Test
  void addingToAListInPlaceIsAChange() {
    Note note = note("n1", "Groceries");
    nodeA.save(note);

    note.tags.add("home");
    Optional<Scribe> update = nodeA.save(note);

    assertThat(update).map(s -> s.data().toString()).hasValue("[\"n1\",{\"tags\":[\"home\"]}]");
    assertThat(nodeA.find("n1").orElseThrow().tags).containsExactly("home");
  }

  @Test
  void savingWhatIsStoredRecordsNothing() {
    Note note = note("n1", "Groceries");
    nodeA.save(note);

    assertThat(nodeA.save(note)).isEmpty();
    note.timesOpened++; // transient: not synced, not a change
    assertThat(nodeA.save(note)).isEmpty();
  }

  @Test
  void objectsReturnedByTheRepositoryAreCopies() {
    nodeA.save(note("n1", "Groceries"));

    nodeA.find("n1").orElseThrow().title = "changed behind the repository's back";

    assertThat(nodeA.find("n1").orElseThrow().title).isEqualTo("Groceries");
  }

  @Test
  void recipientsComeFromScribeClients() {
    Note note = note("n1", "Plans");
    note.readers = Set.of("bob");

    Scribe create = nodeA.save(note).orElseThrow();

    assertThat(create.recipients().uids()).containsExactly("alice", "bob");
    assertThat(create.recipients().includes("carol")).isFalse();
  }

  @Test
  void aNullUidNamesNobody() {
    Note note = new Note("n1", "Plans", null);
    note.readers = Set.of("bob");

    assertThat(nodeA.save(note).orElseThrow().recipients().uids()).containsExactly("bob");
  }

  @Test
  void aRecipientsMethodReturningNullIsRefusedBeforeAnythingIsStored() {
    SyncModel<Secret, String> secrets = SyncModels.of(Secret.class, String.class);
    SyncedRepository<Secret, String> repository =
        new SyncedRepository<>(secrets, new InMemoryRepository<>(secrets), ScribeRecorder.to(wire -> { }));
    Secret secret = new Secret();
    secret.id = "s1";

    assertThatThrownBy(() -> repository.save(secret))
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining("Secret.audience() returned null");
    assertThatThrownBy(() -> repository.replay(Scribe.fromJson(
            "{\"klass\":\"Secret\",\"type\":\"create\",\"data\":{\"id\":\"s2\"}}")))
        .isInstanceOf(SyncroConfigurationException.class);
    assertThat(repository.findAll()).isEmpty();
  }

  @Test
  void replayRecordsTheChangeKeepingItsOrigin() {
    nodeA.save(note("n1", "Groceries"));
    carryToB();

    assertThat(recordedOnB).singleElement().satisfies(scribe -> {
      assertThat(scribe.origin()).hasValue("node-a");
      assertThat(scribe.type()).isEqualTo(ScribeType.CREATE);
      assertThat(scribe.id()).as("a new id is the store's to give").isNull();
      assertThat(scribe.recipients().uids()).containsExactly("alice");
    });
  }

  @Test
  void replayIsIdempotent() {
    Note note = note("n1", "Groceries");
    nodeA.save(note);
    note.title = "Groceries for Sunday";
    nodeA.save(note);
    List<String> sent = List.copyOf(wire);
    carryToB();
    recordedOnB.clear();

    for (String json : sent) {
      assertThat(nodeB.replay(Scribe.fromJson(json))).as("again: %s", json).isEmpty();
    }

    assertThat(recordedOnB).isEmpty();
    assertThat(nodeB.findAll()).isEqualTo(nodeA.findAll());
  }

  @Test
  void anUpdateOrDestroyOfAMissingRecordIsSkipped() {
    Scribe update = Scribe.fromJson(
        "{\"klass\":\"Note\",\"type\":\"update\",\"data\":[\"nope\",{\"title\":\"x\"}]}");
    Scribe destroy = Scribe.fromJson("{\"klass\":\"Note\",\"type\":\"destroy\",\"data\":[\"nope\"]}");

    assertThat(nodeB.replay(update)).isEmpty();
    assertThat(nodeB.replay(destroy)).isEmpty();
    assertThat(nodeB.findAll()).isEmpty();
  }

  @Test
  void aCreateOfAnExistingIdLeavesTheRecordAlone() {
    nodeB.save(note("n1", "Mine"));

    Scribe create = Scribe.fromJson(
        "{\"klass\":\"Note\",\"type\":\"create\",\"data\":{\"id\":\"n1\",\"title\":\"Theirs\"}}");

    assertThat(nodeB.replay(create)).isEmpty();
    assertThat(nodeB.find("n1").orElseThrow().title).isEqualTo("Mine");
  }

  @Test
  void unknownFieldsAreIgnoredAndMissingOnesKeepTheirValue() {
    nodeB.save(note("n1", "Groceries"));

    nodeB.replay(Scribe.fromJson("{\"klass\":\"Note\",\"type\":\"update\","
        + "\"data\":[\"n1\",{\"colour\":\"red\",\"tags\":[\"a\"]}]}"));
    nodeB.replay(Scribe.fromJson("{\"klass\":\"Note\",\"type\":\"create\","
        + "\"data\":{\"id\":\"n2\",\"title\":\"New\",\"priority\":3}}"));

    Note updated = nodeB.find("n1").orElseThrow();
    assertThat(updated.title).isEqualTo("Groceries");
    assertThat(updated.tags).containsExactly("a");
    Note created = nodeB.find("n2").orElseThrow();
    assertThat(created.title).isEqualTo("New");
    assertThat(created.tags).as("the field's initial value").isEmpty();
  }

  @Test
  void theRelayedUpdateHoldsOnlyWhatActuallyChanged() {
    nodeB.save(note("n1", "Groceries"));
    recordedOnB.clear();

    nodeB.replay(Scribe.fromJson("{\"klass\":\"Note\",\"type\":\"update\","
        + "\"data\":[\"n1\",{\"title\":\"Groceries\",\"owner\":\"bob\"}]}"));

    assertThat(recordedOnB).singleElement()
        .extracting(Scribe::data).extracting(JsonNode::toString)
        .isEqualTo("[\"n1\",{\"owner\":\"bob\"}]");
  }

  @Test
  void aModelIsFoundOnlyWithItsOwnIdType() {
    assertThatThrownBy(() -> SyncModels.of(Note.class, Long.class))
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining("java.lang.String");
  }
}
