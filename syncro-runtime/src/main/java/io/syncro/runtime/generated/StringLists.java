package io.syncro.runtime.generated;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Fields holding strings in a list or collection, the most common field after the scalars,
 * written and read without Jackson's conversion, which costs more than the rest of a typical
 * record. Anything else is left to Jackson (null from these methods).
 */
final class StringLists {
  private StringLists() {}

  /**
   * A field declared {@code List<String>} or {@code Collection<String>} read from an array of
   * strings (and nulls) as Jackson reads it, into an {@code ArrayList}, built directly: reading
   * through Jackson costs more than the rest of a typical record. Null for anything else, which
   * Jackson reads (it also turns numbers into strings, for one).
   */
  static List<String> readOrNull(JsonNode value, JavaType type) {
    if (!value.isArray() || !type.isCollectionLikeType()
        || !(type.hasRawClass(List.class) || type.hasRawClass(Collection.class)
            || type.hasRawClass(ArrayList.class))
        || !type.getContentType().hasRawClass(String.class)) {
      return null;
    }
    List<String> list = new ArrayList<>(value.size());
    for (JsonNode element : value) {
      if (element.isTextual()) {
        list.add(element.textValue());
      } else if (element.isNull()) {
        list.add(null);
      } else {
        return null;
      }
    }
    return list;
  }

  /**
   * A collection of the JDK's holding only strings (and nulls), the most common field after the
   * scalars, as the JSON array Jackson would make of it, built directly: converting through
   * Jackson costs more than the rest of writing a typical record. Null for any other value,
   * which Jackson converts (a collection class of the application's may be written otherwise).
   */
  static JsonNode writeOrNull(Collection<?> values) {
    if (!values.getClass().getName().startsWith("java.util.")) {
      return null;
    }
    ArrayNode array = ScribeFields.NODES.arrayNode(values.size());
    for (Object element : values) {
      if (element == null) {
        array.addNull();
      } else if (element instanceof String) {
        array.add((String) element);
      } else {
        return null;
      }
    }
    return array;
  }
}
