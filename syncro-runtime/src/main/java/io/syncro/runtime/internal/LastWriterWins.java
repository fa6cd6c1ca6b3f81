package io.syncro.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Stamp;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The merge rule that makes every node end with the same state whatever order changes arrive
 * in: per field, the write with the greatest stamp wins; a record exists when its latest create
 * is later than its latest destroy. So:
 *
 * <ul>
 *   <li>an update sets only the fields whose stamp is later than the one held;
 *   <li>a create of a record that exists merges field by field, like an update;
 *   <li>a destroy removes the record unless a later create is known; edits, whatever their
 *       stamps, never bring a destroyed record back (a destroy wins over concurrent edits), but
 *       their values are kept, in case a later create does;
 *   <li>a create stamped after the destroy brings the record back.
 * </ul>
 *
 * <p>Applying the same changes in any order, each any number of times, gives the same history
 * and the same values. The id field is never merged: it names the record.
 */
public final class LastWriterWins {
  private LastWriterWins() {}

  /**
   * What applying a change does here.
   *
   * @param type the change to make to this node's copy: null when there is none (the change
   *     lost, or the record does not exist here before or after); a create when the record
   *     comes to exist here, an update when it exists before and after, a destroy when it
   *     stops existing
   * @param fields for a create, every field's value; for an update, the fields that won
   */
  public record Effect(ScribeType type, ObjectNode fields) {
    static final Effect NONE = new Effect(null, null);
  }

  /**
   * Merges one change into a record's history, which it updates.
   *
   * @param type the change's type
   * @param fields a create's fields, an update's changed fields; ignored for a destroy
   * @param stamp the change's stamp
   * @param current the record's values here (its fields as a create would carry them), or null
   *     when it does not exist here
   * @param idField the name of the id field, never merged
   */
  public static Effect apply(RecordHistory history, ScribeType type, ObjectNode fields,
      Stamp stamp, ObjectNode current, String idField) {
    return apply(history, type, fields, stamp, current, idField, Map.of());
  }

  /**
   * As {@link #apply(RecordHistory, ScribeType, ObjectNode, Stamp, ObjectNode, String)}, with
   * fields whose values merge instead of the latest winning: every write of such a field, of
   * any stamp, merges its value into the one held (the field's stamp is the latest seen). The
   * merges must be commutative, associative and idempotent, so that the result does not depend
   * on the order or the number of times changes arrive.
   */
  public static Effect apply(RecordHistory history, ScribeType type, ObjectNode fields,
      Stamp stamp, ObjectNode current, String idField, Map<String, BinaryOperator<JsonNode>> merges) {
    return apply(history, type, fields, stamp, Map.of(), current, idField, merges);
  }

  /**
   * As {@link #apply(RecordHistory, ScribeType, ObjectNode, Stamp, ObjectNode, String, Map)},
   * for a create whose fields carry stamps of their own (a record shared whole): a field's
   * stamp is its entry in {@code fieldStamps}, else {@code stamp}, which is the create's.
   */
  public static Effect apply(RecordHistory history, ScribeType type, ObjectNode fields,
      Stamp stamp, Map<String, Stamp> fieldStamps, ObjectNode current, String idField,
      Map<String, BinaryOperator<JsonNode>> merges) {
    boolean existsHere = current != null;
    ObjectNode held = existsHere ? current : history.retained();
    switch (type) {
      case CREATE: {
        ObjectNode won = takeWinners(history, fields, stamp, fieldStamps, idField, merges, held);
        history.created(stamp);
        if (existsHere) {
          return won.isEmpty() ? Effect.NONE : new Effect(ScribeType.UPDATE, won);
        }
        if (!history.exists(false)) {
          retainAll(history, won);
          return Effect.NONE;
        }
        if (history.retained().isEmpty() && won.size() == fields.size() - (fields.has(idField) ? 1 : 0)) {
          return new Effect(ScribeType.CREATE, fields); // a new record, as it came: nothing to merge
        }
        // Comes (back) to exist: the values that won, over what was kept of it.
        ObjectNode values = history.retained().deepCopy();
        values.setAll(fields);
        for (Iterator<Map.Entry<String, JsonNode>> it = history.retained().fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> kept = it.next();
          if (!won.has(kept.getKey()) && !kept.getKey().equals(idField)) {
            values.set(kept.getKey(), kept.getValue());
          }
        }
        values.setAll(won); // merged fields hold the merge, not the create's own value
        history.retain(Json.NODES.objectNode());
        return new Effect(ScribeType.CREATE, values);
      }
      case UPDATE: {
        ObjectNode won = takeWinners(history, fields, stamp, fieldStamps, idField, merges, held);
        if (existsHere && history.exists(true)) {
          return won.isEmpty() ? Effect.NONE : new Effect(ScribeType.UPDATE, won);
        }
        retainAll(history, won);
        return Effect.NONE;
      }
      case DESTROY: {
        history.destroyed(stamp);
        if (existsHere && !history.exists(true)) {
          ObjectNode kept = current.deepCopy();
          kept.remove(idField);
          history.retain(kept);
          return new Effect(ScribeType.DESTROY, null);
        }
        return Effect.NONE;
      }
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * The fields whose stamp is later than the one held, now stamped with it; and the merged
   * fields whose merge changes the value held.
   */
  private static ObjectNode takeWinners(RecordHistory history, ObjectNode fields, Stamp stamp,
      Map<String, Stamp> fieldStamps, String idField, Map<String, BinaryOperator<JsonNode>> merges,
      ObjectNode held) {
    ObjectNode won = Json.NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals(idField)) {
        continue;
      }
      Stamp written = fieldStamps.isEmpty() ? stamp : fieldStamps.getOrDefault(name, stamp);
      boolean later = written.isAfter(history.field(name));
      if (later) {
        history.field(name, written);
      }
      BinaryOperator<JsonNode> merge = merges.get(name);
      if (merge == null) {
        if (later) {
          won.set(name, field.getValue());
        }
        continue;
      }
      JsonNode mine = held.get(name);
      JsonNode merged = mine == null || mine.isNull() ? field.getValue() : merge.apply(mine, field.getValue());
      if (!merged.equals(mine)) {
        won.set(name, merged);
      }
    }
    return won;
  }

  private static void retainAll(RecordHistory history, ObjectNode won) {
    if (!won.isEmpty()) {
      ObjectNode kept = history.retained().deepCopy();
      kept.setAll(won);
      history.retain(kept);
    }
  }
}
