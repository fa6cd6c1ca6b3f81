package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.ScribeType;
import io.syncro.runtime.Stamp;
import org.junit.jupiter.api.Test;

class RecordHistoryTest {
  private static final Stamp CREATED = new Stamp(1_764_339_600_000L, 0, "alice");
  private static final Stamp EDITED = new Stamp(1_764_339_600_500L, 1, "bob");

  @Test
  void forgettingARecordKeepsOnlyTheNodesOwnEditsWithTheirValues() {
    var record = Json.NODES.objectNode().put("id", "n1").put("title", "a").put("owner", "bob")
        .put("body", "x");
    Stamp bobsCreate = new Stamp(1_764_339_600_000L, 0, "bob");
    Stamp alicesEdit = new Stamp(1_764_339_600_100L, 0, "alice");
    Stamp bobsEdit = new Stamp(1_764_339_600_200L, 0, "bob");
    RecordHistory history = new RecordHistory();
    LastWriterWins.apply(history, ScribeType.CREATE, record, bobsCreate, null, "id");
    LastWriterWins.apply(history, ScribeType.UPDATE, Json.NODES.objectNode().put("body", "y"),
        alicesEdit, record, "id");
    LastWriterWins.apply(history, ScribeType.UPDATE, Json.NODES.objectNode().put("title", "b"),
        bobsEdit, record, "id");
    var copy = record.deepCopy().put("title", "b").put("body", "y");

    history.forgetAllBut("bob", copy, java.util.Set.of());

    assertThat(history.created()).as("a share later brings the record").isNull();
    assertThat(history.fields()).as("bob's create is the record's, alice's edit hers")
        .containsExactly(java.util.Map.entry("title", bobsEdit));
    assertThat(history.retained()).isEqualTo(Json.NODES.objectNode().put("title", "b"));
    assertThat(history.changed()).isTrue();

    // A share of the record, recorded before bob's edit reached its sender, brings it back with
    // the edit: the share's stamps are older.
    var shared = record.deepCopy().put("body", "y");
    LastWriterWins.Effect effect = LastWriterWins.apply(history, ScribeType.CREATE, shared,
        bobsCreate, java.util.Map.of("body", alicesEdit), null, "id", java.util.Map.of());
    assertThat(effect.type()).isEqualTo(ScribeType.CREATE);
    assertThat(effect.fields().get("title").asText()).isEqualTo("b");
    assertThat(effect.fields().get("body").asText()).isEqualTo("y");
  }

  @Test
  void forgettingARecordKeepsAFieldThatMergesWhoeverWroteItLast() {
    var record = Json.NODES.objectNode().put("id", "b").put("title", "plans");
    record.putArray("tags").add("bob's");
    Stamp bobsCreate = new Stamp(1_764_339_600_000L, 0, "bob");
    Stamp alicesCreate = new Stamp(1_764_339_600_100L, 0, "alice");
    RecordHistory history = new RecordHistory();
    LastWriterWins.apply(history, ScribeType.CREATE, record, bobsCreate, null, "id");
    // Alice's create of the same id, merged field by field: her stamp is now the field's.
    var alices = Json.NODES.objectNode().put("id", "b").put("title", "hers");
    alices.putArray("tags").add("alice's");
    LastWriterWins.Effect merged = LastWriterWins.apply(history, ScribeType.CREATE, alices,
        alicesCreate, java.util.Map.of(), record, "id",
        java.util.Map.of("tags", io.syncro.runtime.FieldMerge.union()::merge));
    var copy = record.deepCopy();
    copy.setAll(merged.fields());
    assertThat(history.field("tags")).isEqualTo(alicesCreate);

    history.forgetAllBut("bob", copy, java.util.Set.of("tags"));

    assertThat(history.fields()).as("bob's own tag is inside the merged value alice stamped last")
        .containsExactly(java.util.Map.entry("tags", alicesCreate));
    assertThat(history.retained().get("tags")).isEqualTo(copy.get("tags"));
    assertThat(history.retained().has("title")).as("not merged, not bob's edit").isFalse();
    assertThat(history.created()).isNull();
  }

  @Test
  void storedTextWritesAFieldStampedByTheCreateAsEquals() throws Exception {
    RecordHistory history = new RecordHistory();
    LastWriterWins.apply(history, ScribeType.CREATE,
        Json.NODES.objectNode().put("id", "n1").put("title", "a").put("owner", "alice"), CREATED,
        null, "id");
    LastWriterWins.apply(history, ScribeType.UPDATE, Json.NODES.objectNode().put("title", "b"),
        EDITED, Json.NODES.objectNode().put("id", "n1").put("title", "a").put("owner", "alice"),
        "id");

    assertThat(history.toJsonText()).isEqualTo("{\"created\":\"" + CREATED + "\",\"fields\":"
        + "{\"owner\":\"=\",\"title\":\"" + EDITED + "\"}}");
    RecordHistory read = RecordHistory.read(history.toJsonText());
    assertThat(read.field("owner")).isEqualTo(CREATED);
    assertThat(read.field("title")).isEqualTo(EDITED);
    assertThat(read.toJson()).isEqualTo(history.toJson());
  }

  @Test
  void aRecordNeverChangedSinceItsCreateIsStoredWithItsCreateStampAlone() throws Exception {
    var record = Json.NODES.objectNode().put("id", "n1").put("title", "a").put("owner", "alice");
    RecordHistory history = new RecordHistory();
    LastWriterWins.apply(history, ScribeType.CREATE, record, CREATED, null, "id");

    String stored = history.toJsonText(record, "id");

    assertThat(stored).isEqualTo("{\"created\":\"" + CREATED + "\"}");
    RecordHistory read = RecordHistory.read(stored, record, "id");
    assertThat(read.toJson()).isEqualTo(history.toJson());
    assertThat(read.readFrom()).isEqualTo(stored);

    LastWriterWins.apply(read, ScribeType.UPDATE, Json.NODES.objectNode().put("title", "b"),
        EDITED, record, "id");
    assertThat(read.toJsonText(record.deepCopy().put("title", "b"), "id"))
        .as("once a field has a stamp of its own, every stamp is written")
        .contains("\"owner\":\"=\"").contains("\"title\":\"" + EDITED + "\"");
    assertThat(history.toJsonText(null, "id")).as("without its record, in full")
        .contains("\"fields\"");
  }

  @Test
  void theClientsOfAnotherRecordUnderTheIdAreStoredWithItAndForgottenWithIt() throws Exception {
    var record = Json.NODES.objectNode().put("id", "a3").put("title", "mallory's");
    RecordHistory history = new RecordHistory();
    LastWriterWins.apply(history, ScribeType.CREATE, record, CREATED, null, "id");
    history.addClaim("alice");
    history.addTakenBy("server");

    String stored = history.toJsonText(record, "id");

    assertThat(stored).as("not the create stamp alone: the claims would be lost")
        .endsWith(",\"claimedBy\":[\"alice\"],\"takenBy\":[\"server\"]}");
    RecordHistory read = RecordHistory.read(stored, record, "id");
    assertThat(read.claimedBy("alice")).isTrue();
    assertThat(read.claimedBy("bob")).isFalse();
    assertThat(read.takenBy("server")).isTrue();
    assertThat(read.takenElsewhere()).isTrue();
    read.forgetAll();
    assertThat(read.changed()).isTrue();
    assertThat(read.toJsonText(null, "id")).isEqualTo("{\"fields\":{}}");
  }

  @Test
  void readsHistoriesStoredWithEveryStampWrittenOut() throws Exception {
    String full = "{\"created\":\"" + CREATED + "\",\"fields\":{\"owner\":\"" + CREATED + "\"}}";

    RecordHistory read = RecordHistory.read(full);

    assertThat(read.field("owner")).isEqualTo(CREATED);
    assertThat(read.readFrom()).as("kept as read, for a fleet's check").isEqualTo(full);
    assertThat(read.toJsonText()).contains("\"owner\":\"=\"");
  }
}
