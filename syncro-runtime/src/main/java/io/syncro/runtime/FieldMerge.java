package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.syncro.runtime.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the values of one field combine when nodes change it concurrently, instead of the latest
 * change winning: a set that keeps every node's additions, a high-water mark. Register one with
 * {@link Syncro.Builder#merge}.
 *
 * <p>Every write of the field, from any node, in any order, and any number of times, is merged
 * into the value held, on every node: so a merge must be <b>commutative</b> ({@code merge(a, b)}
 * equals {@code merge(b, a)}), <b>associative</b> and <b>idempotent</b> ({@code merge(a, a)}
 * equals {@code a}), and deterministic, or nodes end with different values. A local save is
 * merged too: with {@link #union()} a saved set that lacks an element does not remove it.
 *
 * <p>Values are the field's JSON, as scribes carry it; neither is ever null (a field held as
 * JSON {@code null} takes the other value as it is).
 */
@FunctionalInterface
public interface FieldMerge {

  /** The value that combines {@code mine} (held here) and {@code theirs} (a write arriving). */
  JsonNode merge(JsonNode mine, JsonNode theirs);

  /**
   * For arrays (sets, lists): every element of either side, once, in a fixed order (by their
   * JSON text), so that both orders of merging give the same array. A grow-only set.
   */
  static FieldMerge union() {
    return (mine, theirs) -> {
      Map<String, JsonNode> elements = new LinkedHashMap<>();
      for (JsonNode side : List.of(mine, theirs)) {
        if (side.isArray()) {
          side.forEach(element -> elements.putIfAbsent(element.toString(), element));
        } else {
          elements.putIfAbsent(side.toString(), side);
        }
      }
      List<String> keys = new ArrayList<>(elements.keySet());
      keys.sort(Comparator.naturalOrder());
      ArrayNode merged = Json.NODES.arrayNode(keys.size());
      keys.forEach(key -> merged.add(elements.get(key)));
      return merged;
    };
  }

  /**
   * For numbers: the greater (a high-water mark, a counter that only goes up). A number beats
   * anything else; of two values that are not numbers, the greater JSON text is kept.
   */
  static FieldMerge max() {
    return (mine, theirs) -> {
      requireNonNull(mine, "mine");
      requireNonNull(theirs, "theirs");
      if (mine.isNumber() && theirs.isNumber()) {
        int order = mine.decimalValue().compareTo(theirs.decimalValue());
        if (order != 0) {
          return order > 0 ? mine : theirs;
        }
        // Equal values written differently (0 and 0.0): the same one on every node.
      } else if (mine.isNumber() != theirs.isNumber()) {
        return mine.isNumber() ? mine : theirs;
      }
      return mine.toString().compareTo(theirs.toString()) >= 0 ? mine : theirs;
    };
  }
}
