package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.Stamp;
import io.syncro.runtime.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the durable stores write a scribe and read it back, from text and from bytes. */
class StoredScribesTest {
  private static final Stamp STAMP = new Stamp(1_764_339_600_000L, 3, "alice");

  private static Scribe update() {
    ObjectNode fields = Json.NODES.objectNode().put("title", "é <&> 😀 \"quoted\"");
    fields.putArray("tags").add("a").addObject().put("deep", 15).putNull("none");
    return Scribe.builder().klass("Note").type(ScribeType.UPDATE)
        .data(Json.NODES.arrayNode().add("n1").add(fields))
        .recipients(Recipients.of(List.of("bob", "carol"))).origin("alice").stamp(STAMP).build();
  }

  private static Scribe readBack(Scribe scribe) throws Exception {
    String record = StoredScribes.encode(scribe).toString();
    Scribe fromText = StoredScribes.decode(record, "7");
    Scribe fromBytes = StoredScribes.decode(record.getBytes(StandardCharsets.UTF_8), "7");
    assertThat(fromBytes).isEqualTo(fromText);
    assertThat(fromBytes.toJson()).isEqualTo(fromText.toJson());
    return fromText;
  }

  @Test
  void aScribeReadBackKeepsItsDataAsTheTextStoredAndWritesTheSameWire() throws Exception {
    Scribe stored = update().withId("7");

    Scribe read = readBack(update());

    assertThat(read).isEqualTo(stored);
    assertThat(read.toJson()).isEqualTo(stored.toJson());
    assertThat(read.dataJson()).isEqualTo(stored.dataJson());
    assertThat(read.data()).isEqualTo(stored.data())
        .as("kept as text: each call reads a new tree").isNotSameAs(read.data());
    assertThat(read.recipients()).isEqualTo(Recipients.of(List.of("bob", "carol")));
    assertThat(read.origin()).hasValue("alice");
    assertThat(read.stamp()).hasValue(STAMP);
  }

  @Test
  void aRemovalAndAScribeToEveryoneReadBackAsStored() throws Exception {
    Scribe removal = Scribe.builder().klass("Note").type(ScribeType.DESTROY)
        .data(Json.NODES.arrayNode().add("n1")).recipients(Recipients.of(List.of("bob")))
        .removal(true).build();
    Scribe toEveryone = update().toBuilder().recipients(Recipients.everyone()).origin(null).build();

    assertThat(readBack(removal)).isEqualTo(removal.withId("7"));
    assertThat(readBack(removal).isRemoval()).isTrue();
    assertThat(readBack(toEveryone)).isEqualTo(toEveryone.withId("7"));
  }

  @Test
  void everyKindOfNoticeReadsBackAsStoredAndGoesOnTheWireAsItsFlag() throws Exception {
    for (Scribe.Notice kind : Scribe.Notice.values()) {
      Scribe notice = Scribe.builder().klass("Note").type(ScribeType.UPDATE)
          .data(Json.NODES.arrayNode().add("a3").add(Json.NODES.objectNode()))
          .recipients(Recipients.of(List.of("alice"))).notice(kind).build();

      Scribe read = readBack(notice);

      assertThat(read).isEqualTo(notice.withId("7"));
      assertThat(read.notice()).hasValue(kind);
      assertThat(read.toJson()).isEqualTo("{\"klass\":\"Note\",\"type\":\"update\",\"data\":"
          + "[\"a3\",{}],\"" + kind.wireKey() + "\":true,\"id\":\"7\"}");
      assertThat(Scribe.fromJson(read.toJson()).notice()).hasValue(kind);
    }
  }

  @Test
  void aChangeOfRecipientsReadsBackWithItsShareAndFieldStamps() throws Exception {
    Scribe share = Scribe.builder().klass("Note").type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", "n1").put("title", "t"))
        .stamp(STAMP).fieldStamps(Map.of("title", new Stamp(1, 0, "bob"))).build();
    Scribe changed = update().toBuilder().accessChange(new Scribe.AccessChange(
        Recipients.of(List.of("bob")), share, Json.NODES.textNode("n1"))).build();

    Scribe read = readBack(changed);

    assertThat(read).isEqualTo(changed.withId("7"));
    assertThat(read.forClient("carol").orElseThrow().fieldStamps())
        .containsEntry("title", new Stamp(1, 0, "bob"));
  }

  @Test
  void dataStoredUnescapedByAnOlderVersionIsWrittenEscapedOnTheWire() throws Exception {
    String older = "{\"scribe\":{\"klass\":\"Note\",\"type\":\"create\","
        + "\"data\":{\"id\":\"n1\",\"title\":\"é\"}},\"to\":null,\"from\":null}";

    Scribe read = StoredScribes.decode(older, "3");

    assertThat(read.data().path("title").textValue()).isEqualTo("é");
    assertThat(read.data()).as("read into a tree, not kept as its unescaped text").isSameAs(read.data());
    assertThat(read.toJson()).contains("\"title\":\"\\u00e9\"").isEqualTo(
        StoredScribes.decode(older.getBytes(StandardCharsets.UTF_8), "3").toJson());
  }
}
