package io.syncro.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.Json;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The records of a {@link FileStore}'s log: a header (the body's length, a CRC-32 checksum of
 * the kind and the body, the kind) and a JSON body. Shared by the store, which reads and appends
 * them, and {@link CompactedLog}, which writes a whole new log.
 */
final class LogFormat {
  private LogFormat() {}

  static final int HEADER_BYTES = 9;
  /** No record is larger; a length beyond it can only be a torn or damaged header. */
  static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

  /** A scribe: {@code StoredScribes}' record, and {@code "at"}, when it was appended. */
  static final byte SCRIBE = 1;
  /** A client's state: {@code {"uid":..,"cursor":..,"synced":..}}. */
  static final byte CLIENT = 2;
  /**
   * An object put: {@code {"klass":..,"id":..,"json":..}}; in a compacted log, a tombstone's
   * history also has {@code "removedAt"}, the last sequence stored when its record was destroyed.
   */
  static final byte OBJECT_PUT = 3;
  /** An object removed: {@code {"klass":..,"id":..}}. */
  static final byte OBJECT_REMOVE = 4;
  /** A scribe's record with the change of its object under {@code "object"}. */
  static final byte SCRIBE_WITH_OBJECT = 5;
  /**
   * The first record of a compacted log: {@code {"dropped":N,"trimmed":millis}}, the number of
   * scribes before the first it keeps, and when it was compacted.
   */
  static final byte LOG_START = 6;
  /**
   * As {@link #SCRIBE_WITH_OBJECT}, for a create whose data is the object's JSON (a record made
   * here, or a peer's create taken as it came): {@code object.json} is left out, and read from
   * {@code scribe.data}, so the log holds that JSON once. A version before this kind refuses
   * the log (a kind it does not know) rather than misread it.
   */
  static final byte SCRIBE_WITH_CREATED_OBJECT = 7;

  /** A record as the log holds it: its header, then its body. */
  static byte[] frame(byte kind, byte[] body) {
    return ByteBuffer.allocate(HEADER_BYTES + body.length)
        .putInt(body.length).putInt(checksum(kind, body)).put(kind).put(body)
        .array();
  }

  static int checksum(byte kind, byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(kind);
    crc.update(body);
    return (int) crc.getValue();
  }

  static ClientState clientState(JsonNode json) {
    JsonNode cursor = json.get("cursor");
    return new ClientState(json.get("uid").textValue(),
        cursor.isNull() ? null : cursor.textValue(), json.get("synced").booleanValue());
  }

  static ObjectNode clientJson(ClientState state) {
    return Json.NODES.objectNode()
        .put("uid", state.uid())
        .put("cursor", state.cursor())
        .put("synced", state.synced());
  }
}
