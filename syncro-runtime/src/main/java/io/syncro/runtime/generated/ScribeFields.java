package io.syncro.runtime.generated;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.InvalidScribeException;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.SyncroConfigurationException;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.ScribeJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads and writes one field of scribe data; called by generated code only.
 *
 * <p>Readers take the field's JSON value (never Java null: a missing field is not read at all)
 * and fail with {@link InvalidScribeException} naming the field when the value has the wrong
 * type. JSON {@code null} reads as Java {@code null}, or as zero / {@code false} for primitives,
 * because an original peer sends {@code null} for every attribute it never set.
 */
public final class ScribeFields {
  /** Builds the JSON values generated code writes; decimals keep their exact value. */
  public static final JsonNodeFactory NODES = Json.NODES;

  private ScribeFields() {}

  // ---- readers of scalar values ----

  /**
   * A string, or the text of a number or boolean: the original library keeps whatever its model
   * holds, so an original peer sends {@code 120} for a record whose id is an integer there, or
   * {@code 5} for a name set to a number. Integers read as their digits, decimals as Jackson
   * writes them ({@code 12.5}), booleans as {@code true} / {@code false}.
   */
  public static String readString(JsonNode value, String field) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw wrongType(field, "a string (or a number or boolean, read as its text)", value);
  }

  public static Boolean readBooleanBox(JsonNode value, String field) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw wrongType(field, "true or false", value);
    }
    return value.booleanValue();
  }

  public static boolean readBoolean(JsonNode value, String field) {
    Boolean box = readBooleanBox(value, field);
    return box != null && box;
  }

  public static Long readLongBox(JsonNode value, String field) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrongType(field, "a whole number", value);
    }
    return value.longValue();
  }

  public static long readLong(JsonNode value, String field) {
    Long box = readLongBox(value, field);
    return box == null ? 0L : box;
  }

  public static Integer readIntBox(JsonNode value, String field) {
    Long box = readLongBox(value, field);
    if (box == null) {
      return null;
    }
    if (box < Integer.MIN_VALUE || box > Integer.MAX_VALUE) {
      throw wrongType(field, "a whole number that fits an int", value);
    }
    return box.intValue();
  }

  public static int readInt(JsonNode value, String field) {
    Integer box = readIntBox(value, field);
    return box == null ? 0 : box;
  }

  public static Short readShortBox(JsonNode value, String field) {
    Long box = readLongBox(value, field);
    if (box == null) {
      return null;
    }
    if (box < Short.MIN_VALUE || box > Short.MAX_VALUE) {
      throw wrongType(field, "a whole number that fits a short", value);
    }
    return box.shortValue();
  }

  public static short readShort(JsonNode value, String field) {
    Short box = readShortBox(value, field);
    return box == null ? 0 : box;
  }

  public static Byte readByteBox(JsonNode value, String field) {
    Long box = readLongBox(value, field);
    if (box == null) {
      return null;
    }
    if (box < Byte.MIN_VALUE || box > Byte.MAX_VALUE) {
      throw wrongType(field, "a whole number that fits a byte", value);
    }
    return box.byteValue();
  }

  public static byte readByte(JsonNode value, String field) {
    Byte box = readByteBox(value, field);
    return box == null ? 0 : box;
  }

  /** Reads a number; also the strings {@code "NaN"} and {@code "±Infinity"}, as they are written. */
  public static Double readDoubleBox(JsonNode value, String field) {
    if (value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      switch (value.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw wrongType(field, "a number", value);
  }

  public static double readDouble(JsonNode value, String field) {
    Double box = readDoubleBox(value, field);
    return box == null ? 0.0 : box;
  }

  public static Float readFloatBox(JsonNode value, String field) {
    Double box = readDoubleBox(value, field);
    return box == null ? null : box.floatValue();
  }

  public static float readFloat(JsonNode value, String field) {
    Float box = readFloatBox(value, field);
    return box == null ? 0.0f : box;
  }

  public static Character readCharBox(JsonNode value, String field) {
    String text = readString(value, field);
    if (text == null) {
      return null;
    }
    if (text.length() != 1) {
      throw wrongType(field, "a string of one character", value);
    }
    return text.charAt(0);
  }

  public static char readChar(JsonNode value, String field) {
    Character box = readCharBox(value, field);
    return box == null ? '\0' : box;
  }

  /** Reads a decimal from a JSON number or, as Ruby's BigDecimal writes it, from a string. */
  public static BigDecimal readBigDecimal(JsonNode value, String field) {
    if (value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.decimalValue();
    }
    if (value.isTextual()) {
      try {
        return new BigDecimal(value.textValue().trim());
      } catch (NumberFormatException e) {
        throw wrongType(field, "a decimal number", value);
      }
    }
    throw wrongType(field, "a decimal number", value);
  }

  public static BigInteger readBigInteger(JsonNode value, String field) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber()) {
      throw wrongType(field, "a whole number", value);
    }
    return value.bigIntegerValue();
  }

  /**
   * Reads a value written as text: an enum constant's name, a UUID, a {@code java.time} value in
   * ISO form. The parser is the type's own ({@code UUID::fromString}, {@code Instant::parse}).
   */
  public static <T> T readText(JsonNode value, String field, Function<String, T> parser) {
    String text = readString(value, field);
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw new InvalidScribeException(
          field + ": cannot read " + ScribeJson.describe(value) + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * {@link Instant#parse}, faster for the form every Java node writes (see
   * {@link InstantText#parse}): what generated code reads an {@code Instant} field with.
   */
  public static Instant parseInstant(String text) {
    return InstantText.parse(text);
  }

  /**
   * A record id read from scribe data, which must be there.
   *
   * @throws InvalidScribeException when it is null
   */
  public static <T> T requireId(T id, String field) {
    if (id == null) {
      throw new InvalidScribeException(field + ": the record's id is missing");
    }
    return id;
  }

  /**
   * The recipients a model's recipients method named. Null uids in the collection name nobody
   * and are dropped: an object replayed from a peer may lack the field they come from.
   *
   * @throws SyncroConfigurationException when the method returned null
   */
  public static Recipients recipients(Collection<String> uids, String method) {
    if (uids == null) {
      throw new SyncroConfigurationException(
          method + " returned null: return an empty collection to send to nobody");
    }
    // Not uids.contains(null): immutable collections throw on that question.
    List<String> named = new ArrayList<>(uids.size());
    for (String uid : uids) {
      if (uid != null) {
        named.add(uid);
      }
    }
    return Recipients.of(named);
  }

  /**
   * The recipients a model's recipients method returned as such: {@link Recipients#everyone()}
   * lets one class keep some records for everyone and others for named clients.
   *
   * @throws SyncroConfigurationException when the method returned null
   */
  public static Recipients recipients(Recipients recipients, String method) {
    if (recipients == null) {
      throw new SyncroConfigurationException(
          method + " returned null: return Recipients.of(List.of()) to send to nobody");
    }
    return recipients;
  }

  // ---- readers, copiers and comparators of values Jackson converts ----

  /** The reader of one field's declared type, captured once per generated class. */
  public static ObjectReader readerFor(TypeReference<?> type) {
    return Json.readerFor(type);
  }

  /** Converts a field's JSON value to its declared (generic, nested or array) type. */
  public static <T> T readValue(JsonNode value, String field, ObjectReader reader) {
    if (value.isNull()) {
      return null;
    }
    List<String> strings = StringLists.readOrNull(value, reader.getValueType());
    if (strings != null) {
      @SuppressWarnings("unchecked") // the declared type is a list or collection of strings
      T list = (T) strings;
      return list;
    }
    try {
      return reader.readValue(value);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidScribeException(
          field + ": cannot read " + ScribeJson.describe(value) + " as " + reader.getValueType(),
          e);
    }
  }

  /** A deep copy of a value, made by converting it to JSON and back to its declared type. */
  public static <T> T copy(T value, ObjectReader reader) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode tree = Json.valueToTree(value);
      return reader.readValue(tree);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot copy " + value.getClass().getName() + " value", e);
    }
  }

  /**
   * Whether two values of a type without value equality (a nested class that keeps
   * {@code Object.equals}) would be written as the same JSON.
   */
  public static boolean sameJson(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    return Json.valueToTree(a).equals(Json.valueToTree(b));
  }

  // ---- writers of values that ObjectNode.put has no overload for ----

  /** Writes an enum constant by its name (never {@code toString()}, which an enum may change). */
  public static void putEnum(ObjectNode data, String name, Enum<?> value) {
    if (value == null) {
      data.putNull(name);
    } else {
      data.put(name, value.name());
    }
  }

  /** Writes a value by its text form: UUID, {@code java.time} values, characters. */
  public static void putText(ObjectNode data, String name, Object value) {
    if (value == null) {
      data.putNull(name);
    } else {
      data.put(name, value.toString());
    }
  }

  public static void putByte(ObjectNode data, String name, Byte value) {
    if (value == null) {
      data.putNull(name);
    } else {
      data.put(name, value.intValue());
    }
  }

  /** Writes a nested, generic or array value as Jackson converts it. */
  public static void putValue(ObjectNode data, String name, Object value) {
    JsonNode strings =
        value instanceof Collection ? StringLists.writeOrNull((Collection<?>) value) : null;
    data.set(name, strings != null ? strings : Json.valueToTree(value));
  }

  /** The changed-value test for {@code float} fields: NaN equals NaN, 0.0 differs from -0.0. */
  public static boolean same(float a, float b) {
    return Float.compare(a, b) == 0;
  }

  /** The changed-value test for {@code double} fields: NaN equals NaN, 0.0 differs from -0.0. */
  public static boolean same(double a, double b) {
    return Double.compare(a, b) == 0;
  }

  /** The changed-value test for reference types with value equality. */
  public static boolean same(Object a, Object b) {
    return Objects.equals(a, b);
  }

  private static InvalidScribeException wrongType(String field, String expected, JsonNode value) {
    return new InvalidScribeException(
        field + ": expected " + expected + ", got " + ScribeJson.describe(value));
  }
}
