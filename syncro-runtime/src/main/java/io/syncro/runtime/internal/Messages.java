package io.syncro.runtime.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes protocol messages as compact JSON with the original's key order, and frames them. The
 * JSON is pure ASCII (see {@link OriginalEscapes}), so its length in characters is its length in
 * bytes.
 */
public final class Messages {
  /** The most bytes of JSON one frame can carry: its length is a 2-byte unsigned number. */
  public static final int MAX_FRAME_BYTES = 65_535;

  /** Room for the envelope of an add_scribe around its scribe, request ids at their longest. */
  public static final int ADD_SCRIBE_ENVELOPE =
      addScribe("", Long.MAX_VALUE).length();

  private Messages() {}

  /** {@code {"type":"sync","from":CURSOR,"id":N}}, as the original writes it. */
  public static String sync(String from, long id) {
    return sync(from, false, id);
  }

  /**
   * A sync request; with {@code paged}, {@code {"type":"sync","from":CURSOR,"page":true,"id":N}}:
   * the paging extension, which an original peer ignores (it answers with everything).
   */
  public static String sync(String from, boolean paged, long id) {
    return sync(from, paged, false, id);
  }

  /**
   * A paged sync request that, with {@code snapshot} (and {@code from} null), asks for a
   * snapshot of the answerer's records before its log:
   * {@code {"type":"sync","from":null,"page":true,"snapshot":true,"id":N}}.
   */
  public static String sync(String from, boolean paged, boolean snapshot, long id) {
    return write(generator -> {
      generator.writeStringField("type", "sync");
      generator.writeFieldName("from");
      if (from == null) {
        generator.writeNull();
      } else {
        generator.writeString(from);
      }
      if (paged) {
        generator.writeBooleanField("page", true);
      }
      if (snapshot) {
        generator.writeBooleanField("snapshot", true);
      }
      generator.writeNumberField("id", id);
    });
  }

  /** {@code {"type":"add_scribe","scribe":SCRIBE,"id":N}}, the scribe given as its JSON. */
  public static String addScribe(String scribeJson, long id) {
    // Joined, not generated: a pushed scribe is wrapped once per session it goes to, and its
    // JSON is already written. The same text a generator writes.
    return ADD_SCRIBE_START + scribeJson + ",\"id\":" + id + '}';
  }

  private static final String ADD_SCRIBE_START = "{\"type\":\"add_scribe\",\"scribe\":";

  /** {@code {"type":"rpc","klass":"K","method":"m","args":[...],"id":N}}. */
  public static String rpc(String klass, String method, JsonNode args, long id) {
    return write(generator -> {
      generator.writeStringField("type", "rpc");
      generator.writeStringField("klass", klass);
      generator.writeStringField("method", method);
      generator.writeFieldName("args");
      Json.writeTree(generator, args);
      generator.writeNumberField("id", id);
    });
  }

  /** {@code {"type":"auth","token":"...","id":N}}, the authentication extension. */
  public static String auth(String token, long id) {
    return write(generator -> {
      generator.writeStringField("type", "auth");
      generator.writeStringField("token", token);
      generator.writeNumberField("id", id);
    });
  }

  /** {@code {"type":"noop","id":N}}. */
  public static String noop(long id) {
    return write(generator -> {
      generator.writeStringField("type", "noop");
      generator.writeNumberField("id", id);
    });
  }

  /** {@code {"type":"response","id":N,"result":R}}. */
  public static String response(long id, JsonNode result) {
    return write(generator -> {
      generator.writeStringField("type", "response");
      generator.writeNumberField("id", id);
      generator.writeFieldName("result");
      Json.writeTree(generator, result);
    });
  }

  /**
   * The answer to a sync: {@code {"type":"response","id":N,"result":[SCRIBES],"total":T}}, where
   * {@code total} (an extension an original peer ignores) counts every scribe of this catch-up,
   * those that follow included; and, for a paged sync with more to come,
   * {@code "next":CURSOR}, where the next page starts.
   */
  public static String syncResponse(long id, List<String> scribeJsons, long total, String next) {
    return syncResponse(id, scribeJsons, total, next, null);
  }

  /**
   * As {@link #syncResponse(long, List, long, String)}; with {@code cursor}, the last page of a
   * snapshot: once its records are applied, the requester's cursor is {@code cursor}, and
   * {@code next} is where the log goes on from.
   */
  public static String syncResponse(
      long id, List<String> scribeJsons, long total, String next, String cursor) {
    return syncResponse(id, scribeJsons, total, next, cursor, null);
  }

  /**
   * As {@link #syncResponse(long, List, long, String, String)}; with {@code reset}, the first
   * page of a snapshot that replaces what the requester holds:
   * {@code "reset":{"applied":CURSOR or null,"classes":[KLASS...]}}. Once the snapshot's last
   * page is applied, the requester removes its records of those classes that the snapshot did
   * not hold, except those its own scribes after {@code applied} (the last of its scribes the
   * answerer had applied) changed: the answerer has yet to get those.
   */
  public static String syncResponse(long id, List<String> scribeJsons, long total, String next,
      String cursor, SnapshotReset reset) {
    return write(generator -> {
      generator.writeStringField("type", "response");
      generator.writeNumberField("id", id);
      generator.writeArrayFieldStart("result");
      for (String scribeJson : scribeJsons) {
        generator.writeRawValue(scribeJson);
      }
      generator.writeEndArray();
      generator.writeNumberField("total", total);
      if (next != null) {
        generator.writeStringField("next", next);
      }
      if (cursor != null) {
        generator.writeStringField("cursor", cursor);
      }
      if (reset != null) {
        generator.writeObjectFieldStart("reset");
        generator.writeStringField("applied", reset.applied());
        generator.writeArrayFieldStart("classes");
        for (String klass : reset.classes()) {
          generator.writeString(klass);
        }
        generator.writeEndArray();
        generator.writeEndObject();
      }
    });
  }

  /** What a snapshot that replaces the requester's records says: see {@code syncResponse}. */
  public record SnapshotReset(String applied, List<String> classes) {}

  /** The size of a sync response's envelope, ids, total and next at their longest, result empty. */
  public static final int SYNC_RESPONSE_ENVELOPE =
      syncResponse(Long.MAX_VALUE, List.of(), Long.MAX_VALUE, Long.toString(Long.MAX_VALUE)).length();

  /** What a page of a snapshot is named by, in {@code next}: its number, after this. */
  public static final String SNAPSHOT_PAGE = "~snapshot:";

  /**
   * The name of the snapshot page after the one named: pages are numbered one after another.
   * Null for a name that is not a snapshot page's.
   */
  public static String snapshotPageAfter(String page) {
    if (!page.startsWith(SNAPSHOT_PAGE)) {
      return null;
    }
    try {
      long number = Long.parseLong(page.substring(SNAPSHOT_PAGE.length()));
      return number < 0 || number == Long.MAX_VALUE ? null : SNAPSHOT_PAGE + (number + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The envelope of a snapshot's page: a page's name or the log's cursor, and the cursor. */
  public static final int SNAPSHOT_RESPONSE_ENVELOPE = syncResponse(Long.MAX_VALUE, List.of(),
      Long.MAX_VALUE, SNAPSHOT_PAGE + Long.MAX_VALUE, Long.toString(Long.MAX_VALUE)).length();

  /**
   * {@code {"type":"error","code":C,"id":N,"message":"..."}}; {@code id} and {@code message} are
   * extensions an original peer ignores, left out when null.
   */
  public static String error(int code, Long id, String message) {
    return write(generator -> {
      generator.writeStringField("type", "error");
      generator.writeNumberField("code", code);
      if (id != null) {
        generator.writeNumberField("id", id);
      }
      if (message != null) {
        generator.writeStringField("message", message);
      }
    });
  }

  /** The message with its 2-byte big-endian length before it. */
  public static byte[] frame(String json) {
    int length = json.length();
    if (length > MAX_FRAME_BYTES) {
      // Callers size what they send; reaching this is a bug, never a peer's doing.
      throw new IllegalStateException("message of " + length + " bytes cannot be framed");
    }
    byte[] frame = new byte[length + 2];
    frame[0] = (byte) (length >>> 8);
    frame[1] = (byte) length;
    json.getBytes(0, length, frame, 2); // ASCII only: one byte a character
    return frame;
  }

  /** Decodes a frame's payload; raw UTF-8 from a peer is accepted as well as escaped ASCII. */
  public static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private interface Body {
    void write(JsonGenerator generator) throws IOException;
  }

  private static String write(Body body) {
    TextBuffer out = new TextBuffer(256);
    try (JsonGenerator generator = Json.createGenerator(out)) {
      generator.writeStartObject();
      body.write(generator);
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a message", e); // a TextBuffer cannot fail
    }
    return out.toString();
  }
}
