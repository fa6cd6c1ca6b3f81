package io.syncro.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Stamp;
import java.util.Iterator;
import java.util.Map;

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
    boolean existsHere = current != null;
    switch (type) {
      case CREATE: {
        ObjectNode won = takeWinners(history, fields, stamp, idField);
        history.created(stamp);
        if (existsHere) {
          return won.isEmpty() ? Effect.NONE : new Effect(ScribeType.UPDATE, won);
        }
        if (!history.exists(false)) {
          retainAll(history, won);
          return Effect.NONE;
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
        history.retain(Json.NODES.objectNode());
        return new Effect(ScribeType.CREATE, values);
      }
      case UPDATE: {
        ObjectNode won = takeWinners(history, fields, stamp, idField);
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

  /** The fields whose stamp is later than the one held, now stamped with it. */
  private static ObjectNode takeWinners(
      RecordHistory history, ObjectNode fields, Stamp stamp, String idField) {
    ObjectNode won = Json.NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals(idField) || !stamp.isAfter(history.field(name))) {
        continue;
      }
      history.field(name, stamp);
      won.set(name, field.getValue());
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
