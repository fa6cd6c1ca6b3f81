package io.syncro.runtime.store;

import static io.syncro.runtime.store.LogFormat.HEADER_BYTES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.Json;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A {@link FileStore}'s log written anew from a copy of what the store holds, by a compaction:
 * a {@link LogFormat#LOG_START} record, the scribes kept (without the object changes they
 * carried: the objects follow as they are now), every object (with the tombstones still kept,
 * each with {@code "removedAt"}), and every client. Forced to disk before it is handed back; the
 * store then appends what was written meanwhile and renames it over the log.
 */
final class CompactedLog {
  /**
   * What the store held when the compaction began, copied under its monitor; each object as the
   * store keeps it, its text or where the old log holds it ({@link TextInLog}).
   */
  record Copy(long floor, long[] keptOffsets, int[] keptLengths, long[] keptAppendedAt,
      Map<String, NavigableMap<String, Object>> objects,
      Map<String, Map<String, Long>> tombstones, List<ClientState> clients) {}

  /** Where each kept scribe's body is in the new log, in order. */
  final long[] newOffsets;
  /**
   * Where each object of the copy is in the new log, by class, in the copy's order of its ids;
   * null for one left out (a tombstone that goes).
   */
  final Map<String, TextInLog[]> newPlaces = new HashMap<>();
  /** The new log's size. */
  long size;

  private CompactedLog(int kept) {
    newOffsets = new long[kept];
  }

  /**
   * Writes the new log to {@code target} from {@code copy}, reading the kept scribes from the
   * old log (which only grows meanwhile), and forces it to disk.
   */
  static CompactedLog write(Path target, Path oldLog, Copy copy, Instant now)
      throws IOException {
    CompactedLog written = new CompactedLog(copy.keptOffsets().length);
    try (RandomAccessFile old = new RandomAccessFile(oldLog.toFile(), "r");
         FileOutputStream stream = new FileOutputStream(target.toFile());
         OutputStream out = new BufferedOutputStream(stream, 1 << 16)) {
      written.put(out, LogFormat.LOG_START, Json.NODES.objectNode()
          .put("dropped", copy.floor() - 1).put("trimmed", now.toEpochMilli()));
      for (int i = 0; i < copy.keptOffsets().length; i++) {
        byte[] body = new byte[copy.keptLengths()[i]];
        old.seek(copy.keptOffsets()[i]);
        old.readFully(body);
        // The object it changed is written below as it is now, not as this scribe left it.
        ObjectNode scribe = (ObjectNode) Json.readTree(body);
        scribe.remove("object");
        scribe.put("at", copy.keptAppendedAt()[i]);
        written.newOffsets[i] = written.size + HEADER_BYTES;
        written.put(out, LogFormat.SCRIBE, scribe);
      }
      for (var ofKlass : copy.objects().entrySet()) {
        String klass = ofKlass.getKey();
        Map<String, Long> destroyed = klass.startsWith(ObjectChange.HISTORY_PREFIX)
            ? copy.tombstones().getOrDefault(
                klass.substring(ObjectChange.HISTORY_PREFIX.length()), Map.of())
            : Map.of();
        TextInLog[] places = new TextInLog[ofKlass.getValue().size()];
        written.newPlaces.put(klass, places);
        int index = 0;
        for (var object : ofKlass.getValue().entrySet()) {
          int at = index++;
          Long removedAt = destroyed.get(object.getKey());
          if (removedAt != null && IndexedStore.tombstoneGoes(removedAt, copy.floor())) {
            continue; // gone with the scribe that destroyed it: not even read
          }
          Object kept = object.getValue();
          String text = kept instanceof TextInLog ? ((TextInLog) kept).readFrom(old) : (String) kept;
          ObjectNode put = Json.NODES.objectNode()
              .put("klass", klass).put("id", object.getKey()).put("json", text);
          if (removedAt != null) {
            put.put("removedAt", removedAt);
          }
          places[at] = written.put(out, LogFormat.OBJECT_PUT, put, TextInLog.PUT_JSON);
        }
      }
      for (ClientState client : copy.clients()) {
        written.put(out, LogFormat.CLIENT, LogFormat.clientJson(client));
      }
      out.flush();
      stream.getFD().sync();
    }
    return written;
  }

  private void put(OutputStream out, byte kind, ObjectNode json) throws IOException {
    put(out, kind, json, TextInLog.PUT_JSON);
  }

  /** Writes one record; returns where its text {@code field} is in the new log. */
  private TextInLog put(OutputStream out, byte kind, ObjectNode json, byte field)
      throws IOException {
    byte[] body = Json.writeTreeAsBytes(json);
    byte[] record = LogFormat.frame(kind, body);
    out.write(record);
    TextInLog place = new TextInLog(size + HEADER_BYTES, body.length, field);
    size += record.length;
    return place;
  }
}
