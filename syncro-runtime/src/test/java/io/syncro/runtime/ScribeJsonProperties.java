package io.syncro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.ScribeJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ScribeJson#wireLengthAtMost} is never shorter than what {@link ScribeJson#wire} writes,
 * for any scribe: recording relies on it to let a scribe through without writing it to measure.
 */
class ScribeJsonProperties {

  @Property(tries = 2000)
  void theBoundIsNeverShorterThanTheWireForm(
      @ForAll("scribes") Scribe scribe, @ForAll boolean withStamps) {
    assertThat(ScribeJson.wireLengthAtMost(scribe, withStamps))
        .isGreaterThanOrEqualTo(ScribeJson.wire(scribe, withStamps).length());
  }

  /** Scribes of any shape, with text of any characters (quotes, controls, emoji, non-Latin). */
  @Provide
  Arbitrary<Scribe> scribes() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(12);
    Arbitrary<Stamp> stamp = Combinators.combine(
        Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.integers().between(0, Integer.MAX_VALUE), text).as(Stamp::new);
    Arbitrary<Map<String, Stamp>> fieldStamps = Arbitraries.maps(text, stamp).ofMaxSize(4)
        .map(LinkedHashMap::new);
    Arbitrary<ObjectNode> fields = Arbitraries.maps(text, text).ofMaxSize(4).map(values -> {
      ObjectNode data = Json.NODES.objectNode();
      values.forEach(data::put);
      return data;
    });
    return Combinators.combine(text, Arbitraries.of(ScribeType.class), fields,
        stamp.injectNull(0.3), fieldStamps, Arbitraries.of(true, false))
        .as((klass, type, data, scribeStamp, stamps, removal) -> {
          Scribe.Builder scribe = Scribe.builder().klass(klass).type(type).stamp(scribeStamp);
          switch (type) {
            case CREATE:
              scribe.data(data.put("id", "x"));
              if (scribeStamp != null) {
                scribe.fieldStamps(stamps);
              }
              break;
            case UPDATE:
              scribe.data(Json.NODES.arrayNode().add("x").add(data));
              break;
            default:
              scribe.data(Json.NODES.arrayNode().add("x")).removal(removal);
          }
          return scribe.build();
        });
  }
}
