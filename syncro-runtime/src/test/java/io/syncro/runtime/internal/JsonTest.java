package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stored JSON text goes on the wire as it is only when Syncro's escapes would write its tree the
 * same: otherwise a peer would get bytes the original does not write, and a frame whose length
 * counts characters where the bytes are more.
 */
class JsonTest {

  @ParameterizedTest
  @ValueSource(strings = {"plain ASCII, with \"quotes\" and a \\\\ backslash", "", "tab\there"})
  void textThatTheEscapesLeaveAloneGoesAsItIs(String value) {
    ObjectNode tree = Json.NODES.objectNode().put("title", value).put("price", 0.25);
    String stored = tree.toString();

    assertThat(Json.needsNoEscapes(stored)).isTrue();
    assertThat(stored).isEqualTo(Json.writeTree(tree));
  }

  @ParameterizedTest
  @ValueSource(strings = {"caf\u00e9", "<b>", "fish & chips", "a\u0001b", "\ud83d\ude00",
      "line\u2028separator"})
  void textThatTheEscapesWouldChangeIsWrittenAgain(String value) {
    ObjectNode tree = Json.NODES.objectNode().put("title", value);
    String stored = tree.toString(); // as a store may hold it: Jackson's own escapes

    assertThat(Json.needsNoEscapes(stored)).isFalse();
    assertThat(Json.needsNoEscapes(Json.writeTree(tree)))
        .as("Syncro's own text escapes by code, which is written again too")
        .isFalse();
  }

  @Test
  void numbersOfAnotherKindWithTheSameValueAreTheSameValue() throws Exception {
    // What generated code writes of an object, and the same object as a peer's JSON, read back.
    ObjectNode written = Json.NODES.objectNode().put("price", 1.0).put("count", 3L)
        .put("ratio", 0.25);
    written.putArray("sizes").add(2.0).add(7);
    JsonNode read = Json.readTree(Json.writeTree(written));

    assertThat(read).isNotEqualTo(written);
    assertThat(Json.sameValue(written, read)).isTrue();
    assertThat(Json.sameValue(read, written)).isTrue();
  }

  @Test
  void numbersWithOtherValuesOrOtherKindsOfValueDiffer() throws Exception {
    ObjectNode written = Json.NODES.objectNode().put("price", 0.1);

    assertThat(Json.sameValue(written, Json.readTree("{\"price\":0.1000000000000000001}")))
        .isFalse();
    assertThat(Json.sameValue(written, Json.readTree("{\"price\":\"0.1\"}"))).isFalse();
    assertThat(Json.sameValue(written, Json.readTree("{\"price\":0.1,\"extra\":1}")))
        .isFalse();
    assertThat(Json.sameValue(Json.NODES.objectNode().put("price", Double.NaN),
        Json.NODES.objectNode().put("price", 0))).isFalse();
    assertThat(Json.sameValue(Json.NODES.objectNode().put("price", Double.NaN),
        Json.NODES.objectNode().put("price", Double.NaN))).isTrue();
    assertThat(Json.sameValue(written, null)).isFalse();
  }
}
