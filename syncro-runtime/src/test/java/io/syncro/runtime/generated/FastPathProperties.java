package io.syncro.runtime.generated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * ScribeFields' fast paths give what the general ones (Jackson's, the JDK's) give, for every
 * input: {@link ScribeFields#parseInstant} as {@link Instant#parse} (the same instant, or a
 * failure), {@link ScribeFields#putValue} of a collection of strings as Jackson converts it,
 * {@link ScribeFields#readValue} of a list of strings as Jackson reads it.
 */
class FastPathProperties {

  @Property(tries = 3000)
  void readsEveryInstantAsInstantParseDoes(@ForAll("instants") Instant instant) {
    String text = instant.toString();

    assertThat(ScribeFields.parseInstant(text)).isEqualTo(Instant.parse(text));
  }

  @Provide
  Arbitrary<Instant> instants() {
    // Years 0000 to 9999, whole seconds and fractions of every length (toString drops zeros).
    Arbitrary<Long> seconds = Arbitraries.longs().between(-62_167_219_200L, 253_402_300_799L);
    Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
        Arbitraries.integers().between(0, 999).map(millis -> millis * 1_000_000),
        Arbitraries.integers().between(0, 999_999_999));
    return seconds.flatMap(second -> nanos.map(nano -> Instant.ofEpochSecond(second, nano)));
  }

  @Property(tries = 3000)
  void agreesWithInstantParseOnAnyTextOfTheShape(@ForAll("nearlyInstants") String text) {
    assertThat(outcome(() -> ScribeFields.parseInstant(text)))
        .isEqualTo(outcome(() -> Instant.parse(text)));
  }

  /** Texts shaped like instants, with any digits in each place: many are not valid dates. */
  @Provide
  Arbitrary<String> nearlyInstants() {
    Arbitrary<String> two = Arbitraries.strings().withChars("0123456789").ofLength(2);
    Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
        Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(10)
            .map(digits -> "." + digits),
        Arbitraries.just("."));
    Arbitrary<String> end = Arbitraries.of("Z", "Z", "Z", "+01:00", "z", "");
    return Combinators.combine(Arbitraries.strings().withChars("0123456789").ofLength(4), two,
        two, two, two, two, fraction, end).as((year, month, day, hour, minute, second, frac, tail) ->
            year + "-" + month + "-" + day + "T" + hour + ":" + minute + ":" + second + frac + tail);
  }

  @Example
  void leavesLeapSecondsOffsetsAndLongYearsToInstantParse() {
    for (String text : new String[] {"2016-12-31T23:59:60Z", "2026-11-29T05:06:07+01:00",
        "+10000-01-01T00:00:00Z", "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z",
        "2026-11-29T04:06:05.Z", "2026-11-29T04:06:05.1234567890Z", "2026-1a-29T04:06:05Z"}) {
      assertThat(outcome(() -> ScribeFields.parseInstant(text))).as(text)
          .isEqualTo(outcome(() -> Instant.parse(text)));
    }
  }

  private static Object outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return parse.get();
    } catch (DateTimeParseException e) {
      return "fails";
    }
  }

  @Property(tries = 1000)
  void writesCollectionsOfStringsAsJacksonDoes(
      @ForAll("strings") List<String> strings, @ForAll("collections") String kind) {
    Collection<String> value;
    switch (kind) {
      case "ArrayList":
        value = new ArrayList<>(strings);
        break;
      case "List.of":
        value = strings.contains(null) ? Arrays.asList(strings.toArray(new String[0]))
            : List.copyOf(strings);
        break;
      case "LinkedHashSet":
        value = new LinkedHashSet<>(strings);
        break;
      default:
        value = strings.contains(null) ? new LinkedList<>(strings) : new TreeSet<>(strings);
    }
    ObjectNode data = Json.NODES.objectNode();

    ScribeFields.putValue(data, "field", value);

    assertThat(data.get("field")).isEqualTo(Json.valueToTree(value));
  }

  @Provide
  Arbitrary<List<String>> strings() {
    return Arbitraries.strings().ofMaxLength(12).injectNull(0.1).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> collections() {
    return Arbitraries.of("ArrayList", "List.of", "LinkedHashSet", "sorted or linked");
  }

  @Example
  void leavesOtherValuesToJackson() {
    ObjectNode data = Json.NODES.objectNode();
    List<Object> mixed = new ArrayList<>(List.of("a", 1, true));

    ScribeFields.putValue(data, "mixed", mixed);
    ScribeFields.putValue(data, "numbers", List.of(1, 2));
    ScribeFields.putValue(data, "map", Map.of("k", "v"));

    assertThat(data.toString()).isEqualTo(
        "{\"mixed\":[\"a\",1,true],\"numbers\":[1,2],\"map\":{\"k\":\"v\"}}");
  }

  private static final ObjectReader LIST = ScribeFields.readerFor(new TypeReference<List<String>>() {});
  private static final ObjectReader COLLECTION =
      ScribeFields.readerFor(new TypeReference<Collection<String>>() {});
  private static final ObjectReader SET = ScribeFields.readerFor(new TypeReference<Set<String>>() {});

  @Property(tries = 1000)
  void readsListsOfStringsAsJacksonDoes(@ForAll("arrays") String json) throws Exception {
    JsonNode tree = Json.readTree(json);

    for (ObjectReader reader : List.of(LIST, COLLECTION, SET)) {
      Object jackson = reader.readValue(tree);
      Object ours = ScribeFields.readValue(tree, "T.tags", reader);
      assertThat(ours).as(reader.getValueType().toString()).isEqualTo(jackson);
      assertThat(ours.getClass()).isEqualTo(jackson.getClass());
    }
  }

  /** Arrays of strings and nulls, sometimes with a number or a boolean, which Jackson reads as text. */
  @Provide
  Arbitrary<String> arrays() {
    Arbitrary<String> element = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.strings().ofMaxLength(8).map(text -> Json.NODES.textNode(text).toString())),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("null")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("5", "true", "2.5")));
    return element.list().ofMaxSize(6).map(elements -> "[" + String.join(",", elements) + "]");
  }
}
