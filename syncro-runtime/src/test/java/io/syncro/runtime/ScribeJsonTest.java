package io.syncro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScribeJsonTest {

  private static Scribe createOf(String name) {
    ObjectNode data = Json.NODES.objectNode().put("id", "1").put("name", name);
    return Scribe.builder().klass("Test").type(ScribeType.CREATE).data(data).build();
  }

  @Test
  void writesKeysInTheOriginalsOrder() {
    assertThat(createOf("foo").withId("7").toJson())
        .isEqualTo("{\"klass\":\"Test\",\"type\":\"create\",\"data\":{\"id\":\"1\",\"name\":\"foo\"},\"id\":\"7\"}");
  }

  @Test
  void leavesOutTheIdOfAScribeNotStoredYet() {
    assertThat(createOf("foo").toJson())
        .isEqualTo("{\"klass\":\"Test\",\"type\":\"create\",\"data\":{\"id\":\"1\",\"name\":\"foo\"}}");
  }

  @Test
  void escapesAsTheOriginalDoes() {
    String json = createOf("é😀 <b> & \u2028 \u0001 \"q\" \\").toJson();

    assertThat(json)
        .contains("\"name\":\"\\u00e9\\ud83d\\ude00 \\u003cb\\u003e \\u0026 \\u2028 \\u0001 \\\"q\\\" \\\\\"");
    assertThat(json.chars().allMatch(c -> c < 128)).isTrue();
    assertThat(Scribe.fromJson(json).data().get("name").textValue())
        .isEqualTo("é😀 <b> & \u2028 \u0001 \"q\" \\");
  }

  @Test
  void readsWhatItWrites() {
    Scribe scribe = createOf("foo").withId("42");

    Scribe read = Scribe.fromJson(scribe.toJson());

    assertThat(read).isEqualTo(scribe);
    assertThat(read.origin()).isEmpty();
    assertThat(read.recipients().isEveryone()).isTrue();
  }

  @Test
  void aScribeKeptAsTextWritesAndReadsAsItsTree() {
    Scribe tree = createOf("é and \"quotes\"").withId("3");

    Scribe text = tree.compacted();

    assertThat(text.toJson()).isEqualTo(tree.toJson());
    assertThat(text.dataJson()).isEqualTo("{\"id\":\"1\",\"name\":\"\\u00e9 and \\\"quotes\\\"\"}");
    assertThat(text.data()).isEqualTo(tree.data());
    assertThat(text).isEqualTo(tree).hasSameHashCodeAs(tree);
    assertThat(text.withId("4").toJson()).isEqualTo(tree.withId("4").toJson());
    assertThat(text.compacted()).isSameAs(text);
  }

  @Test
  void aScribeBuiltFromTextThatIsNotJsonFailsWhenItsDataIsRead() {
    Scribe broken = Scribe.builder().klass("Test").type(ScribeType.CREATE).dataJson("{\"id\":").build();

    assertThatThrownBy(broken::data).isInstanceOf(InvalidScribeException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void readsRawUtf8AndIgnoresUnknownKeys() {
    Scribe read = Scribe.fromJson(
        "{\"klass\":\"Test\",\"type\":\"update\",\"data\":[\"1\",{\"name\":\"é\"}],\"id\":\"9\",\"at\":1}");

    assertThat(read.type()).isEqualTo(ScribeType.UPDATE);
    assertThat(read.data().get(1).get("name").textValue()).isEqualTo("é");
    assertThat(read.id()).isEqualTo("9");
  }

  @Test
  void takesANumericIdAsItsText() {
    assertThat(Scribe.fromJson("{\"klass\":\"T\",\"type\":\"destroy\",\"data\":[1],\"id\":12}").id())
        .isEqualTo("12");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "not json",
    "{\"klass\":\"T\",\"type\":\"create\",\"data\":{}",
    "[1,2]",
    "\"scribe\"",
    "{\"type\":\"create\",\"data\":{}}",
    "{\"klass\":5,\"type\":\"create\",\"data\":{}}",
    "{\"klass\":\"T\",\"type\":\"explode\",\"data\":{}}",
    "{\"klass\":\"T\",\"data\":{}}",
    "{\"klass\":\"T\",\"type\":\"create\"}",
    "{\"klass\":\"T\",\"type\":\"create\",\"data\":\"x\"}",
    "{\"klass\":\"T\",\"type\":\"create\",\"data\":{},\"id\":{}}"
  })
  void refusesWhatIsNotAScribe(String json) {
    assertThatThrownBy(() -> Scribe.fromJson(json))
        .isInstanceOf(InvalidScribeException.class)
        .hasMessageContaining("scribe");
  }

  @Test
  void errorMessagesDoNotEchoAHugeValue() {
    String huge = "x".repeat(100_000);

    assertThatThrownBy(() -> Scribe.fromJson("{\"klass\":\"" + huge + "\",\"type\":1,\"data\":{}}"))
        .isInstanceOf(InvalidScribeException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }
}
