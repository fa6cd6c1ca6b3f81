package io.syncro.runtime.generated;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.time.LocalDate;
import java.time.YearMonth;
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

  public static String readString(JsonNode value, String field) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrongType(field, "a string", value);
    }
    return value.textValue();
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
   * {@link Instant#parse} with a fast path for the form every Java node writes
   * ({@code 2026-11-29T04:06:05Z}, with 0 to 9 digits of fraction): a catch-up reads one per
   * time field of every scribe, and the general parser costs more than the rest of the field's
   * reading. Anything else (an offset, a leap second, a year past 9999, a mistake) goes to
   * {@code Instant.parse}, so what is accepted and the errors are the same.
   */
  public static Instant parseInstant(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21; // between the '.' and the 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return Instant.parse(text);
      }
      nanos = digits(text, 20, 20 + fraction);
      for (int i = fraction; i < 9 && nanos >= 0; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 1 || month > 12
        || day < 1 || (day > 28 && day > lengthOfMonth(year, month))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || nanos < 0) {
      return Instant.parse(text);
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  /** The decimal number in {@code text[from, to)}; -1 when a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int lengthOfMonth(int year, int month) {
    return YearMonth.of(year, month).lengthOfMonth();
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
    List<String> strings = listOfStringsOrNull(value, reader.getValueType());
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

  /**
   * A field declared {@code List<String>} or {@code Collection<String>} read from an array of
   * strings (and nulls) as Jackson reads it, into an {@code ArrayList}, built directly: reading
   * through Jackson costs more than the rest of a typical record. Null for anything else, which
   * Jackson reads (it also turns numbers into strings, for one).
   */
  private static List<String> listOfStringsOrNull(JsonNode value, JavaType type) {
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
    JsonNode strings = value instanceof Collection ? stringsOrNull((Collection<?>) value) : null;
    data.set(name, strings != null ? strings : Json.valueToTree(value));
  }

  /**
   * A collection of the JDK's holding only strings (and nulls), the most common field after the
   * scalars, as the JSON array Jackson would make of it, built directly: converting through
   * Jackson costs more than the rest of writing a typical record. Null for any other value,
   * which Jackson converts (a collection class of the application's may be written otherwise).
   */
  private static JsonNode stringsOrNull(Collection<?> values) {
    if (!values.getClass().getName().startsWith("java.util.")) {
      return null;
    }
    ArrayNode array = NODES.arrayNode(values.size());
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
