package io.syncro.runtime.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

/**
 * Where an object's JSON text is in a {@link FileStore}'s log, for a store that keeps its records
 * only there ({@link FileStore.Records#ON_DISK}): the body of the log record that wrote it, and
 * which of its texts it is. 32 bytes in memory, where the text itself takes its length
 * again and more. Immutable: a compaction that moves the text makes a new one.
 */
final class TextInLog {
  /** Which text of a body: {@link LogFormat#SCRIBE_WITH_OBJECT}'s {@code object.json}. */
  static final byte OBJECT_JSON = 0;
  /** {@link LogFormat#SCRIBE_WITH_OBJECT}'s {@code object.history}. */
  static final byte OBJECT_HISTORY = 1;
  /** {@link LogFormat#OBJECT_PUT}'s {@code json}. */
  static final byte PUT_JSON = 2;
  /** {@link LogFormat#SCRIBE_WITH_CREATED_OBJECT}'s {@code scribe.data}, as written. */
  static final byte SCRIBE_DATA = 3;

  final long bodyOffset;
  final int bodyLength;
  final byte field;

  TextInLog(long bodyOffset, int bodyLength, byte field) {
    this.bodyOffset = bodyOffset;
    this.bodyLength = bodyLength;
    this.field = field;
  }

  /** The same text in a log whose bytes from here on moved by {@code shift}. */
  TextInLog movedBy(long shift) {
    return new TextInLog(bodyOffset + shift, bodyLength, field);
  }

  /** Reads the text from {@code log}; the caller owns the file's position. */
  String readFrom(RandomAccessFile log) throws IOException {
    byte[] body = new byte[bodyLength];
    log.seek(bodyOffset);
    log.readFully(body);
    String text = textIn(body, field);
    if (text == null) {
      throw new IOException("the log record at " + bodyOffset + " holds no object text");
    }
    return text;
  }

  /**
   * One text of a record's body, read by walking its JSON rather than building a tree of it: the
   * body of a scribe's record also holds the scribe. Null when the body has no such text.
   */
  static String textIn(byte[] body, byte field) throws IOException {
    try (JsonParser parser = Json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      if (field == SCRIBE_DATA) {
        return dataIn(parser, body);
      }
      if (field != PUT_JSON && !enter(parser, "object")) {
        return null;
      }
      if (!enter(parser, field == OBJECT_HISTORY ? "history" : "json")) {
        return null;
      }
      return parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
    }
  }

  /** The scribe's data of a record's body, as its bytes hold it; null when there is none. */
  private static String dataIn(JsonParser parser, byte[] body) throws IOException {
    if (!enter(parser, "scribe") || !enter(parser, "data")
        || parser.currentToken() != JsonToken.START_OBJECT) {
      return null;
    }
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    int end = (int) parser.currentLocation().getByteOffset();
    return new String(body, start, end - start, StandardCharsets.UTF_8);
  }

  /**
   * Moves a parser that is at the start of an object to the value of its field {@code name};
   * false when the object has no such field.
   */
  private static boolean enter(JsonParser parser, String name) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      if (name.equals(field)) {
        return true;
      }
      parser.skipChildren();
    }
    return false;
  }
}
