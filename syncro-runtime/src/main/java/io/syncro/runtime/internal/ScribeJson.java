package io.syncro.runtime.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.InvalidScribeException;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.Stamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The wire form of a scribe: writes it key by key in the original's order, reads it strictly. */
public final class ScribeJson {
  /** The most {@code ,"id":"N"} can add: N is a decimal long. */
  public static final int ID_FIELD_MAX_LENGTH = ",\"id\":\"\"".length() + 19;

  private ScribeJson() {}

  /**
   * The JSON of a scribe written without an id, given one: the id is the last key, so it is
   * appended rather than the whole scribe written again. The id is a store's decimal number.
   */
  public static String withId(String withoutId, String id) {
    return withoutId.substring(0, withoutId.length() - 1) + ",\"id\":\"" + id + "\"}";
  }

  /**
   * Compact JSON, keys {@code klass, type, data, stamp, stamps, removal}, a notice's own key
   * ({@link Scribe.Notice#wireKey()}), then {@code id}; all but the first
   * three only when the scribe has them.
   */
  public static String write(Scribe scribe) {
    TextBuffer out = new TextBuffer(96 + scribe.dataJson().length());
    try (JsonGenerator generator = Json.createGenerator(out)) {
      write(scribe, generator);
    } catch (IOException e) {
      // A TextBuffer cannot fail; only a broken data tree could get here.
      throw new UncheckedIOException("cannot write scribe " + scribe, e);
    }
    return out.toString();
  }

  /**
   * What a node sends of a scribe: its JSON, without its stamps when the node is told not to
   * send them (to peers that cannot take them).
   */
  public static String wire(Scribe scribe, boolean withStamps) {
    if (withStamps || (scribe.stamp().isEmpty() && scribe.fieldStamps().isEmpty())) {
      return write(scribe);
    }
    // Written on the scribe itself first, so that the copy without stamps shares its data's
    // text and the store, which writes the scribe, does not write the data again.
    scribe.dataJson();
    return write(scribe.toBuilder().stamp(null).fieldStamps(Map.of()).build());
  }

  /**
   * At least as long as {@link #wire} would write the scribe (without its id), without writing
   * it: the data's text, which the scribe keeps, and every other string as if each of its
   * characters took an escape. Recording checks each scribe against the frame size; writing it
   * only to measure it cost a fifth of what a catch-up allocates.
   */
  public static int wireLengthAtMost(Scribe scribe, boolean withStamps) {
    int escapable = scribe.klass().length() + scribe.type().wireName().length();
    if (withStamps) {
      escapable += scribe.stamp().map(stamp -> stamp.node().length()).orElse(0);
      for (Map.Entry<String, Stamp> field : scribe.fieldStamps().entrySet()) {
        escapable += field.getKey().length() + field.getValue().node().length();
      }
    }
    // Keys, quotes and punctuation; a stamp's two numbers take at most 30 characters.
    int fixed = 80 + (withStamps ? 40 * (1 + scribe.fieldStamps().size()) : 0);
    return scribe.dataJson().length() + ESCAPED_CHARACTER_MAX_LENGTH * escapable + fixed;
  }

  /** The longest a character becomes once escaped: a backslash, u and four hex digits. */
  private static final int ESCAPED_CHARACTER_MAX_LENGTH = 6;

  /** Writes the scribe as one JSON object into a generator positioned where a value may go. */
  public static void write(Scribe scribe, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField("klass", scribe.klass());
    generator.writeStringField("type", scribe.type().wireName());
    generator.writeFieldName("data");
    // Written once per scribe and kept (Scribe.dataJson): a scribe sent to many and stored is
    // not written again, and one kept as text is not read into a tree to be written.
    generator.writeRawValue(scribe.dataJson());
    if (scribe.stamp().isPresent()) {
      generator.writeStringField("stamp", scribe.stamp().get().toString());
    }
    if (!scribe.fieldStamps().isEmpty()) {
      generator.writeObjectFieldStart("stamps");
      for (Map.Entry<String, Stamp> field : new TreeMap<>(scribe.fieldStamps()).entrySet()) {
        generator.writeStringField(field.getKey(), field.getValue().toString());
      }
      generator.writeEndObject();
    }
    if (scribe.isRemoval()) {
      generator.writeBooleanField("removal", true);
    }
    if (scribe.isNotice()) {
      generator.writeBooleanField(scribe.notice().get().wireKey(), true);
    }
    if (scribe.id() != null) {
      generator.writeStringField("id", scribe.id());
    }
    generator.writeEndObject();
  }

  public static Scribe read(String json) {
    JsonNode tree;
    try {
      tree = Json.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidScribeException("scribe is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null) {
      throw new InvalidScribeException("scribe is empty");
    }
    return read(tree);
  }

  public static Scribe read(JsonNode tree) {
    if (!tree.isObject()) {
      throw new InvalidScribeException("scribe must be a JSON object, got " + describe(tree));
    }
    String klass = requiredText(tree, "klass");
    String typeName = requiredText(tree, "type");
    ScribeType type;
    try {
      type = ScribeType.fromWireName(typeName);
    } catch (IllegalArgumentException e) {
      throw new InvalidScribeException(
          "scribe type must be create, update or destroy, got \"" + typeName + "\"");
    }
    JsonNode data = tree.get("data");
    if (data == null || !(data.isObject() || data.isArray())) {
      throw new InvalidScribeException(
          "scribe data must be an object or an array, got " + describe(data));
    }
    Scribe.Builder scribe = Scribe.builder().klass(klass).type(type).data(data);
    JsonNode stamp = tree.get("stamp");
    if (stamp != null && !stamp.isNull()) {
      if (!stamp.isTextual()) {
        throw new InvalidScribeException("scribe stamp must be a string, got " + describe(stamp));
      }
      scribe.stamp(Stamp.parse(stamp.textValue()));
    }
    JsonNode stamps = tree.get("stamps");
    if (stamps != null && !stamps.isNull()) {
      if (!stamps.isObject() || type != ScribeType.CREATE || stamp == null || stamp.isNull()) {
        throw new InvalidScribeException(
            "scribe stamps must be an object, on a stamped create, got " + describe(stamps));
      }
      Map<String, Stamp> fieldStamps = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = stamps.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isTextual()) {
          throw new InvalidScribeException("scribe stamps must be strings, got "
              + describe(field.getValue()));
        }
        fieldStamps.put(field.getKey(), Stamp.parse(field.getValue().textValue()));
      }
      scribe.fieldStamps(fieldStamps);
    }
    JsonNode removal = tree.get("removal");
    if (removal != null && removal.booleanValue()) {
      if (type != ScribeType.DESTROY) {
        throw new InvalidScribeException("only a destroy can be a removal, got a " + typeName);
      }
      scribe.removal(true);
    }
    for (Scribe.Notice notice : Scribe.Notice.values()) {
      JsonNode flag = tree.get(notice.wireKey());
      if (flag != null && flag.booleanValue()) {
        if (type != ScribeType.UPDATE) {
          throw new InvalidScribeException("only an update can be a notice, got a " + typeName);
        }
        scribe.notice(notice);
      }
    }
    JsonNode id = tree.get("id");
    if (id != null && !id.isNull()) {
      // Ids are opaque cursors: the original sends hex strings, a Java peer decimal strings;
      // a number is taken as its text so that no peer's id is refused for its JSON type.
      if (!id.isTextual() && !id.isNumber()) {
        throw new InvalidScribeException("scribe id must be a string, got " + describe(id));
      }
      scribe.id(id.asText());
    }
    return scribe.build();
  }

  private static String requiredText(JsonNode tree, String key) {
    JsonNode value = tree.get(key);
    if (value == null || !value.isTextual()) {
      throw new InvalidScribeException(
          "scribe " + key + " must be a string, got " + describe(value));
    }
    return value.textValue();
  }

  /** A short description of a JSON value for error messages, never the whole (peer-sized) value. */
  public static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    String text = value.toString();
    String kind = value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    return text.length() <= 40 ? kind + " " + text : kind + " " + text.substring(0, 37) + "...";
  }
}
