package io.syncro.runtime.generated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.InvalidScribeException;
import io.syncro.runtime.internal.Json;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScribeFieldsTest {

  private static JsonNode json(String text) throws Exception {
    return Json.readTree(text);
  }

  @Test
  void readsNullAsNullOrAsThePrimitivesDefault() throws Exception {
    JsonNode nul = json("null");

    assertThat(ScribeFields.readString(nul, "T.f")).isNull();
    assertThat(ScribeFields.readIntBox(nul, "T.f")).isNull();
    assertThat(ScribeFields.readInt(nul, "T.f")).isZero();
    assertThat(ScribeFields.readBoolean(nul, "T.f")).isFalse();
    assertThat(ScribeFields.readChar(nul, "T.f")).isEqualTo('\0');
  }

  @Test
  void readsAnOriginalPeersNumbersAndBooleansWhereAStringIsDeclaredAsTheirText() throws Exception {
    assertThat(ScribeFields.readString(json("120"), "Test.id")).isEqualTo("120");
    assertThat(ScribeFields.readString(json("-7"), "Test.name")).isEqualTo("-7");
    assertThat(ScribeFields.readString(json("123456789012345678901234567890"), "Test.name"))
        .isEqualTo("123456789012345678901234567890");
    assertThat(ScribeFields.readString(json("12.5"), "Test.name")).isEqualTo("12.5");
    assertThat(ScribeFields.readString(json("true"), "Test.name")).isEqualTo("true");
    assertThat(ScribeFields.readString(json("\"text\""), "Test.name")).isEqualTo("text");
  }

  @Test
  void refusesValuesOfTheWrongTypeNamingTheField() throws Exception {
    assertThatThrownBy(() -> ScribeFields.readString(json("[42]"), "Note.title"))
        .isInstanceOf(InvalidScribeException.class)
        .hasMessageStartingWith("Note.title: expected a string (or a number or boolean, read as its text), got");
    assertThatThrownBy(() -> ScribeFields.readInt(json("\"42\""), "T.n"))
        .isInstanceOf(InvalidScribeException.class);
    assertThatThrownBy(() -> ScribeFields.readInt(json("1.5"), "T.n"))
        .isInstanceOf(InvalidScribeException.class);
    assertThatThrownBy(() -> ScribeFields.readInt(json("4294967296"), "T.n"))
        .isInstanceOf(InvalidScribeException.class)
        .hasMessageContaining("fits an int");
    assertThatThrownBy(() -> ScribeFields.readByte(json("300"), "T.n"))
        .isInstanceOf(InvalidScribeException.class);
    assertThatThrownBy(() -> ScribeFields.readBoolean(json("1"), "T.b"))
        .isInstanceOf(InvalidScribeException.class);
    assertThatThrownBy(() -> ScribeFields.readChar(json("\"ab\""), "T.c"))
        .isInstanceOf(InvalidScribeException.class);
    assertThatThrownBy(() -> ScribeFields.readText(json("\"yesterday\""), "T.at", Instant::parse))
        .isInstanceOf(InvalidScribeException.class)
        .hasMessageStartingWith("T.at: cannot read string \"yesterday\"");
  }

  @Test
  void keepsEveryDigitOfADecimal() throws Exception {
    String digits = "12345678901234567890.123456789012345678901";

    assertThat(ScribeFields.readBigDecimal(json(digits), "T.d")).isEqualTo(new BigDecimal(digits));
    assertThat(ScribeFields.readBigDecimal(json("\"0.1e1\""), "T.d")).isEqualByComparingTo("1");
  }

  @Test
  void comparesFloatingPointAsTheWireWouldShowIt() {
    assertThat(ScribeFields.same(Double.NaN, Double.NaN)).isTrue();
    assertThat(ScribeFields.same(0.0, -0.0)).isFalse();
    assertThat(ScribeFields.same(1.5f, 1.5f)).isTrue();
  }

  @Test
  void aMissingIdIsTheSendersFault() {
    assertThatThrownBy(() -> ScribeFields.requireId(null, "Note.id"))
        .isInstanceOf(InvalidScribeException.class)
        .hasMessageContaining("Note.id");
  }
}
