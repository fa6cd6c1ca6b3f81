package io.syncro.runtime.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The one Jackson configuration Syncro reads and writes JSON with. The mapper itself stays
 * private: it decides the wire format, and a mapper anyone could reconfigure would let any code in
 * the JVM change what Syncro sends. What it does is reached through the methods below, and the
 * readers handed out are immutable.
 */
public final class Json {
  /**
   * Shared and thread-safe once built. Floats are read as {@code BigDecimal}, trailing zeros
   * kept, so that a decimal field keeps every digit a peer sent, and its scale; strings are
   * escaped as the original peer escapes them ({@link OriginalEscapes}), which also makes byte
   * and character counts agree, as the protocol's framing needs; {@code java.time} values are ISO
   * strings, as generated code writes them; package-private fields of nested objects are seen.
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder()
                  // Not ESCAPE_NON_ASCII: it would bypass these escapes and write uppercase hex.
                  .characterEscapes(new OriginalEscapes())
                  .build())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // A tree keeps a decimal's scale too: 1.50 is not 1.5 to BigDecimal.equals.
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.NON_PRIVATE)
          .build();

  /** Builds the trees of scribe data; decimals keep their exact value. */
  public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Json() {}

  /** Reads JSON text into a tree. */
  public static JsonNode readTree(String json) throws JsonProcessingException {
    return MAPPER.readTree(json);
  }

  /** Reads UTF-8 JSON bytes into a tree. */
  public static JsonNode readTree(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** A streaming parser of JSON text, for readers that need no tree. */
  public static JsonParser createParser(String json) throws IOException {
    return MAPPER.createParser(json);
  }

  /** A streaming parser of UTF-8 JSON bytes, for readers that need no tree. */
  public static JsonParser createParser(byte[] json) throws IOException {
    return MAPPER.createParser(json);
  }

  /** Reads a file of JSON into a tree. */
  public static JsonNode readTree(File json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** A value as a tree, as Syncro would write it. */
  public static <T extends JsonNode> T valueToTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /**
   * A tree as UTF-8 JSON bytes, with Syncro's escapes: {@link #writeTree}'s text.
   *
   * @throws UncheckedIOException as {@link #writeTree} does
   */
  public static byte[] writeTreeAsBytes(JsonNode tree) {
    return writeTree(tree).getBytes(StandardCharsets.UTF_8);
  }

  /** A value as UTF-8 JSON bytes. */
  public static byte[] writeValueAsBytes(Object value) throws JsonProcessingException {
    return MAPPER.writeValueAsBytes(value);
  }

  /** An (immutable) reader of values of {@code type}. */
  public static ObjectReader readerFor(TypeReference<?> type) {
    return MAPPER.readerFor(type);
  }

  /** An (immutable) reader that updates {@code target} with what it reads. */
  public static ObjectReader readerForUpdating(Object target) {
    return MAPPER.readerForUpdating(target);
  }

  /** A generator writing to {@code out} with Syncro's escapes. */
  public static JsonGenerator createGenerator(Writer out) throws IOException {
    return MAPPER.createGenerator(out);
  }

  /** A tree as compact JSON text, with Syncro's escapes. */
  public static String writeTree(JsonNode tree) {
    StringBuilder text = new StringBuilder(256);
    return JsonText.write(tree, text) ? text.toString() : writeTreeWithMapper(tree);
  }

  /** As {@link #writeTree}, by the mapper: what {@link JsonText} leaves to it, and its measure. */
  static String writeTreeWithMapper(JsonNode tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      // Only a tree holding a value Jackson cannot write (a POJO node) gets here.
      throw new UncheckedIOException("cannot write a JSON tree", e);
    }
  }

  /**
   * Whether JSON text written by Jackson holds nothing Syncro's escapes would write otherwise:
   * only printable ASCII, none of {@code <>&}, and no escape of a character by its code
   * (Syncro writes its hex digits in lowercase). Such text is what {@link #writeTree} writes of
   * its tree, so it may go on the wire as it is, where its characters are its bytes, as framing
   * needs.
   */
  public static boolean needsNoEscapes(String json) {
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&'
          || c == '\\' && i + 1 < json.length() && json.charAt(i + 1) == 'u') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether two trees hold the same JSON value, their keys in any order: as
   * {@link JsonNode#equals}, but a number equals a number of another kind with the same value
   * (the {@code 1.0} generated code writes of a {@code double}, and the same number as a peer's
   * JSON read back, a decimal {@code 1}).
   */
  public static boolean sameValue(JsonNode a, JsonNode b) {
    return a == b || a != null && b != null && a.equals(SAME_NUMBERS, b);
  }

  private static final Comparator<JsonNode> SAME_NUMBERS =
      (a, b) -> a.equals(b) || a.isNumber() && b.isNumber() && sameNumber(a, b) ? 0 : 1;

  private static boolean sameNumber(JsonNode a, JsonNode b) {
    if (!Double.isFinite(a.doubleValue()) || !Double.isFinite(b.doubleValue())) {
      return false; // NaN and the infinities have no decimal value; equal ones are equal nodes
    }
    return a.decimalValue().compareTo(b.decimalValue()) == 0;
  }

  /** Writes a tree with {@code generator}. */
  public static void writeTree(JsonGenerator generator, JsonNode tree) throws IOException {
    MAPPER.writeTree(generator, tree);
  }
}
