package io.syncro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.syncro.runtime.internal.Json;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The built-in merges are commutative, associative and idempotent, as every merge must be. */
class FieldMergeProperties {

  @Provide
  Arbitrary<JsonNode> sets() {
    return Arbitraries.of("a", "b", "c", "d").list().ofMaxSize(4).map(elements -> {
      ArrayNode array = Json.NODES.arrayNode();
      elements.forEach(array::add);
      return array;
    });
  }

  @Provide
  Arbitrary<JsonNode> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-5, 5).map(Json.NODES::numberNode),
        Arbitraries.doubles().between(-5, 5).ofScale(1).map(Json.NODES::numberNode),
        Arbitraries.of("x", "y").map(Json.NODES::textNode));
  }

  private static void isASemilattice(FieldMerge merge, JsonNode a, JsonNode b, JsonNode c) {
    assertThat(merge.merge(a, b)).as("commutative").isEqualTo(merge.merge(b, a));
    assertThat(merge.merge(merge.merge(a, b), c)).as("associative")
        .isEqualTo(merge.merge(a, merge.merge(b, c)));
    JsonNode ab = merge.merge(a, b);
    assertThat(merge.merge(ab, ab)).as("idempotent").isEqualTo(ab);
    assertThat(merge.merge(ab, a)).as("absorbs what it holds").isEqualTo(ab);
  }

  @Property(tries = 500)
  void unionIsASemilattice(@ForAll("sets") JsonNode a, @ForAll("sets") JsonNode b,
      @ForAll("sets") JsonNode c) {
    isASemilattice(FieldMerge.union(), a, b, c);
    JsonNode merged = FieldMerge.union().merge(a, b);
    List<JsonNode> all = new java.util.ArrayList<>();
    a.forEach(all::add);
    b.forEach(all::add);
    assertThat(all).allSatisfy(element -> assertThat(merged).contains(element));
  }

  @Property(tries = 500)
  void maxIsASemilattice(@ForAll("numbers") JsonNode a, @ForAll("numbers") JsonNode b,
      @ForAll("numbers") JsonNode c) {
    isASemilattice(FieldMerge.max(), a, b, c);
  }
}
