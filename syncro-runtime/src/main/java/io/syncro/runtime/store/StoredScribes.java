package io.syncro.runtime.store;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.Stamp;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * How durable stores write a scribe: its wire form (without its id, which the store keys it by)
 * plus what the wire leaves out, {@code {"scribe":{...},"to":[uids] or null,"from":uid or null}},
 * and for a change of recipients {@code "former":[uids] or null,"share":{...} or absent,
 * "record":id}.
 */
final class StoredScribes {
  private StoredScribes() {}

  static ObjectNode encode(Scribe scribe) {
    ObjectNode record = Json.NODES.objectNode();
    record.set("scribe", wire(scribe));
    record.set("to", uids(scribe.recipients()));
    record.put("from", scribe.origin().orElse(null));
    scribe.accessChange().ifPresent(change -> {
      record.set("former", uids(change.formerRecipients()));
      change.shared().ifPresent(share -> record.set("share", wire(share)));
      record.set("record", change.recordId());
    });
    return record;
  }

  /** The scribe's wire form without its id (which the store keys it by), as a tree. */
  private static ObjectNode wire(Scribe scribe) {
    ObjectNode wire = Json.NODES.objectNode();
    wire.put("klass", scribe.klass());
    wire.put("type", scribe.type().wireName());
    // Raw: the data's text is written once per scribe (Scribe.dataJson), not again from its tree.
    wire.set("data", Json.NODES.rawValueNode(new RawValue(scribe.dataJson())));
    scribe.stamp().ifPresent(stamp -> wire.put("stamp", stamp.toString()));
    if (!scribe.fieldStamps().isEmpty()) {
      ObjectNode stamps = wire.putObject("stamps");
      new TreeMap<>(scribe.fieldStamps()).forEach((field, stamp) -> stamps.put(field, stamp.toString()));
    }
    if (scribe.isRemoval()) {
      wire.put("removal", true);
    }
    scribe.notice().ifPresent(notice -> wire.put(notice.wireKey(), true));
    return wire;
  }

  private static JsonNode uids(Recipients recipients) {
    if (recipients.isEveryone()) {
      return Json.NODES.nullNode();
    }
    ArrayNode to = Json.NODES.arrayNode();
    recipients.uids().forEach(to::add);
    return to;
  }

  /**
   * Reads a stored record, as {@link #decode(JsonNode, String)} does, from its text: without a
   * tree for the scribe's data, which is kept as the text stored (see {@link Scribe#compacted()}),
   * so a catch-up writes it out again without reading it.
   */
  static Scribe decode(String record, String id) throws IOException {
    try (JsonParser parser = Json.createParser(record)) {
      Scribe scribe = readKeepingData(parser, (start, end) -> asciiOrNull(record, start, end), id);
      return scribe != null ? scribe : decode(Json.readTree(record), id);
    }
  }

  /** As {@link #decode(String, String)}, from UTF-8 bytes. */
  static Scribe decode(byte[] record, String id) throws IOException {
    try (JsonParser parser = Json.createParser(record)) {
      Scribe scribe = readKeepingData(parser, (start, end) -> asciiOrNull(record, start, end), id);
      return scribe != null ? scribe : decode(Json.readTree(record), id);
    }
  }

  /** The text between two offsets of a record; null when it holds more than ASCII. */
  private interface Slice {
    String between(int start, int end);
  }

  /**
   * The common record read in one pass with no tree: a scribe to everyone or to a list of
   * clients, its data kept as text. Null for anything else, which the tree reading handles (and
   * reports when it is broken): a change of recipients, a share's field stamps, and data with
   * characters beyond ASCII, which older versions stored unescaped while the wire escapes them.
   */
  private static Scribe readKeepingData(JsonParser parser, Slice slice, String id)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    Scribe.Builder scribe = null;
    Recipients to = Recipients.everyone();
    String from = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "scribe":
          scribe = readScribeKeepingData(parser, slice);
          if (scribe == null) {
            return null;
          }
          break;
        case "to":
          if (value == JsonToken.START_ARRAY) {
            List<String> uids = new ArrayList<>();
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
              uids.add(parser.getText());
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
              return null;
            }
            to = Recipients.of(uids);
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
          break;
        case "from":
          if (value == JsonToken.VALUE_STRING) {
            from = parser.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
          break;
        case "former":
        case "share":
        case "record":
          return null;
        default:
          parser.skipChildren(); // what else a store keeps beside it (a FileStore's object)
      }
    }
    if (scribe == null) {
      return null;
    }
    try {
      return scribe.id(id).recipients(to).origin(from).build();
    } catch (RuntimeException e) {
      return null; // a part missing or at odds: the tree reading says what
    }
  }

  private static Scribe.Builder readScribeKeepingData(JsonParser parser, Slice slice)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      return null;
    }
    Scribe.Builder scribe = Scribe.builder();
    boolean hasData = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "klass":
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          scribe.klass(parser.getText());
          break;
        case "type":
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          try {
            scribe.type(ScribeType.fromWireName(parser.getText()));
          } catch (IllegalArgumentException e) {
            return null;
          }
          break;
        case "data":
          if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            return null;
          }
          int start = offset(parser.currentTokenLocation());
          parser.skipChildren();
          String data = slice.between(start, offset(parser.currentLocation()));
          if (data == null) {
            return null;
          }
          scribe.dataJson(data);
          hasData = true;
          break;
        case "stamp":
          if (value == JsonToken.VALUE_STRING) {
            try {
              scribe.stamp(Stamp.parse(parser.getText()));
            } catch (RuntimeException e) {
              return null;
            }
          } else if (value != JsonToken.VALUE_NULL) {
            return null;
          }
          break;
        case "removal":
          scribe.removal(value == JsonToken.VALUE_TRUE);
          break;
        case "stamps":
          return null;
        default:
          Scribe.Notice notice = Scribe.Notice.ofWireKey(name);
          if (notice != null && value == JsonToken.VALUE_TRUE) {
            scribe.notice(notice);
          } else {
            parser.skipChildren();
          }
      }
    }
    return hasData ? scribe : null;
  }

  /** Where a location is in its input: chars for text, bytes for bytes (ASCII: the same). */
  private static int offset(JsonLocation location) {
    long chars = location.getCharOffset();
    return (int) (chars >= 0 ? chars : location.getByteOffset());
  }

  private static String asciiOrNull(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) >= 128) {
        return null;
      }
    }
    return text.substring(start, end);
  }

  private static String asciiOrNull(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        return null;
      }
    }
    return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
  }

  static Scribe decode(JsonNode record, String id) {
    Scribe.Builder scribe = Scribe.fromTree(record.get("scribe")).toBuilder()
        .id(id)
        .recipients(recipients(record.get("to")))
        .origin(origin(record));
    if (record.has("former")) {
      JsonNode share = record.get("share");
      scribe.accessChange(new Scribe.AccessChange(recipients(record.get("former")),
          share == null ? null : Scribe.fromTree(share), record.get("record")));
    }
    return scribe.build();
  }

  /** Everyone a stored scribe is for: its recipients and, for a change of them, the former. */
  static Recipients audience(JsonNode record) {
    Recipients to = recipients(record.get("to"));
    return record.has("former") ? to.union(recipients(record.get("former"))) : to;
  }

  static String origin(JsonNode record) {
    JsonNode from = record.get("from");
    return from == null || from.isNull() ? null : from.textValue();
  }

  static Recipients recipients(JsonNode to) {
    if (to == null || to.isNull()) {
      return Recipients.everyone();
    }
    List<String> uids = new ArrayList<>(to.size());
    to.forEach(uid -> uids.add(uid.textValue()));
    return Recipients.of(uids);
  }
}
