package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link JsonText} writes every tree character for character as the mapper does, escapes
 * included: what it writes goes on the wire, where the original's bytes are the contract, and
 * into stores, which compare texts.
 */
class JsonTextProperties {

  @Property(tries = 3000)
  void writesAsTheMapperDoes(@ForAll("trees") JsonNode tree) throws Exception {
    String byMapper = Json.writeTreeWithMapper(tree);

    assertThat(Json.writeTree(tree)).isEqualTo(byMapper);
    assertThat(Json.writeTreeAsBytes(tree)).isEqualTo(byMapper.getBytes(StandardCharsets.UTF_8));
  }

  @Example
  void leavesWhatItDoesNotWriteToTheMapper() {
    ObjectNode tree = Json.NODES.objectNode().put("nan", Double.NaN)
        .put("infinite", Float.NEGATIVE_INFINITY);
    tree.putPOJO("raw", new RawValue("{\"kept\":true}"));

    assertThat(JsonText.write(tree, new StringBuilder())).isFalse();
    assertThat(Json.writeTree(tree)).isEqualTo(Json.writeTreeWithMapper(tree))
        .contains("\"NaN\"");
  }

  @Example
  void writesRawTextAsItIs() {
    ObjectNode tree = Json.NODES.objectNode();
    tree.putRawValue("data", new RawValue("{\"title\":\"caf\\u00e9\"}"));

    assertThat(Json.writeTree(tree)).isEqualTo("{\"data\":{\"title\":\"caf\\u00e9\"}}");
  }

  /**
   * Trees of any shape, three levels deep, with keys and strings of any characters (quotes,
   * controls, {@code <>&}, non-Latin, lone and paired surrogates) and numbers of every kind.
   */
  @Provide
  Arbitrary<JsonNode> trees() {
    Arbitrary<String> text = Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withChars("ab\"\\/<>&\b\f\n\r\t\u0000\u001f\u007f\u00e9\u2028")
            .ofMaxLength(12),
        Arbitraries.of("\ud83d\ude00", "plain", ""));
    Arbitrary<JsonNode> numbers = Arbitraries.oneOf(
        Arbitraries.integers().map(Json.NODES::numberNode),
        Arbitraries.longs().map(Json.NODES::numberNode),
        Arbitraries.doubles().map(Json.NODES::numberNode),
        Arbitraries.of(0.1, 1.0, 1e7, 1e-5, -0.0, Double.MAX_VALUE, Double.MIN_VALUE)
            .map(Json.NODES::numberNode),
        Arbitraries.floats().map(Json.NODES::numberNode),
        Combinators.combine(Arbitraries.bigIntegers().between(
                BigInteger.valueOf(-1_000_000_000_000L), BigInteger.valueOf(1_000_000_000_000L)),
            Arbitraries.integers().between(-12, 30))
            .as((unscaled, scale) -> Json.NODES.numberNode(new BigDecimal(unscaled, scale))),
        Arbitraries.bigIntegers().between(BigInteger.ONE.shiftLeft(70).negate(),
            BigInteger.ONE.shiftLeft(70)).map(Json.NODES::numberNode));
    Arbitrary<JsonNode> leaves = Arbitraries.oneOf(
        text.map(Json.NODES::textNode),
        numbers,
        Arbitraries.of(true, false).map(Json.NODES::booleanNode),
        Arbitraries.just(Json.NODES.nullNode()));
    Arbitrary<JsonNode> level = leaves;
    for (int depth = 0; depth < 3; depth++) {
      Arbitrary<JsonNode> inner = level;
      level = Arbitraries.oneOf(leaves, objects(text, inner), arrays(inner));
    }
    return level;
  }

  private static Arbitrary<JsonNode> objects(Arbitrary<String> keys, Arbitrary<JsonNode> values) {
    return Combinators.combine(keys.list().ofMaxSize(5), values.list().ofSize(5))
        .as((names, children) -> {
          ObjectNode object = Json.NODES.objectNode();
          for (int i = 0; i < names.size(); i++) {
            object.set(names.get(i), children.get(i));
          }
          return object;
        });
  }

  private static Arbitrary<JsonNode> arrays(Arbitrary<JsonNode> values) {
    return values.list().ofMaxSize(5).map((List<JsonNode> children) -> {
      ArrayNode array = Json.NODES.arrayNode();
      children.forEach(array::add);
      return array;
    });
  }
}
