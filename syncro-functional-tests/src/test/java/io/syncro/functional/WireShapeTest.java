package io.syncro.functional;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.runtime.Scribe;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.SyncModels;

/**
 * The scribes of the original library's {@code Test {id, name}} class, byte for byte as the
 * protocol shows them: keys in order, nulls kept, update and destroy data as arrays.
 */
class WireShapeTest {
  private final SyncModel<Test, String> model = SyncModels.of(Test.class, String.class);

  @org.junit.jupiter.api.Test
  void create() {
    Scribe scribe = model.recordCreate(new Test("1", "foo")).orElseThrow().withId("7");

    assertThat(scribe.toJson()).isEqualTo(
        "{\"klass\":\"Test\",\"type\":\"create\",\"data\":{\"id\":\"1\",\"name\":\"foo\"},\"id\":\"7\"}");
  }

  @org.junit.jupiter.api.Test
  void createKeepsNulls() {
    Scribe scribe = model.recordCreate(new Test("1", null)).orElseThrow().withId("7");

    assertThat(scribe.toJson()).isEqualTo(
        "{\"klass\":\"Test\",\"type\":\"create\",\"data\":{\"id\":\"1\",\"name\":null},\"id\":\"7\"}");
  }

  @org.junit.jupiter.api.Test
  void update() {
    Scribe scribe =
        model.recordUpdate(new Test("1", "foo"), new Test("1", "bar")).orElseThrow().withId("8");

    assertThat(scribe.toJson()).isEqualTo(
        "{\"klass\":\"Test\",\"type\":\"update\",\"data\":[\"1\",{\"name\":\"bar\"}],\"id\":\"8\"}");
  }

  @org.junit.jupiter.api.Test
  void destroy() {
    Scribe scribe = model.recordDestroy(new Test("1", "bar")).orElseThrow().withId("9");

    assertThat(scribe.toJson())
        .isEqualTo("{\"klass\":\"Test\",\"type\":\"destroy\",\"data\":[\"1\"],\"id\":\"9\"}");
  }

  @org.junit.jupiter.api.Test
  void nonAsciiIsEscapedSoBytesAndCharactersAgree() {
    String json = model.recordCreate(new Test("1", "Grüße 😀")).orElseThrow().toJson();

    assertThat(json).contains("\"name\":\"Gr\\u00fc\\u00dfe \\ud83d\\ude00\"");
    assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(json.length());
  }
}
