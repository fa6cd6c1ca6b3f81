package io.syncro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.LastWriterWins;
import io.syncro.runtime.internal.RecordHistory;
import io.syncro.runtime.internal.ScribeJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * Works out, for one class on a node, what a change does under the merge rules: a peer's
 * change merged into its record's history ({@link #merge}), a local change stamped after
 * everything its record holds ({@link #stampLocal}), what is passed on, and what puts a peer
 * back after a refusal. Reads and writes nothing: {@link SyncedRepository} reads the record and
 * its history once and writes the outcome as one unit. Confined to the repository's lock.
 */
final class RecordMerger<T, ID> {
  private final SyncModel<T, ID> model;
  private final Convergence convergence;
  /** The fields whose concurrent values merge, by name. */
  private final Map<String, BinaryOperator<JsonNode>> merges;

  RecordMerger(SyncModel<T, ID> model, Convergence convergence,
      Map<String, BinaryOperator<JsonNode>> merges) {
    this.model = model;
    this.convergence = convergence;
    this.merges = merges;
  }

  /** The names of the fields whose concurrent values merge. */
  Set<String> mergedFields() {
    return merges.keySet();
  }

  /**
   * A peer's scribe merged into what this node knows of its record.
   *
   * @param effective the change to make here (a create, an update of the fields that won, a
   *     destroy), or null for none
   * @param history the record's history after the change
   * @param news whether the change taught this node anything: then it is passed on
   */
  record Merged(Scribe effective, RecordHistory history, Stamp stamp,
      Map<String, Stamp> fieldStamps, boolean news) {}

  /**
   * @param history the record's history as read; merged into in place
   * @param current the record's JSON here; null when it does not exist here
   */
  Merged merge(Scribe scribe, RecordHistory history, ObjectNode current) {
    Stamp stamp = convergence.stampArrived(scribe);
    Map<String, Stamp> fieldStamps = convergence.fieldStampsArrived(scribe);
    LastWriterWins.Effect effect = LastWriterWins.apply(history, scribe.type(), fieldsOf(scribe),
        stamp, fieldStamps, current, model.idField(), merges);
    Scribe effective = null;
    if (effect.type() != null) {
      JsonNode idJson = idJsonOf(scribe);
      JsonNode data = switch (effect.type()) {
        case CREATE -> effect.fields();
        case UPDATE -> Json.NODES.arrayNode().add(idJson).add(effect.fields());
        case DESTROY -> Json.NODES.arrayNode().add(idJson);
      };
      effective = scribe.toBuilder().type(effect.type()).data(data).stamp(stamp)
          .fieldStamps(Map.of()).build();
    }
    // A merged field can change here without a later stamp: that is news to pass on too.
    boolean news = effect.type() != null || history.changed();
    return new Merged(effective, history, stamp, fieldStamps, news);
  }

  /**
   * What a merged change passes on to this node's other peers: the change as it came, whole,
   * with its stamp. Merging is the same on every node, so passing on a change as it came is
   * always safe, and it is needed: a create that merged into a record existing here still
   * brings that record back on a node that destroyed it, and a write kept for a destroyed record
   * still counts if a later create revives it.
   *
   * @param basis the record here after or before the change; null when it exists in neither
   */
  Scribe passedOn(Scribe scribe, Merged merged, T basis) {
    if (basis == null) {
      // Not here before or after: its recipients are those of what is kept of it.
      ObjectNode kept = merged.history().retained().deepCopy();
      kept.set(model.idField(), idJsonOf(scribe));
      basis = model.restore(kept);
    }
    Recipients recipients = model.recipientsOf(basis);
    return scribe.toBuilder().stamp(merged.stamp()).fieldStamps(merged.fieldStamps())
        .recipients(recipients).build();
  }

  /**
   * The destroy a peer's change must bring along when it leaves its record destroyed here: the
   * peer still holds the copy it changed, and those the change is passed on to may never have
   * seen the destroy (they were not among its recipients when it happened, or the peer created
   * the id while offline). Stamped as the destroy was, it removes their copies unless a later
   * create brought the record back, and changes nothing where the destroy is known. Null when the
   * record exists here, the change is itself a destroy, or this node knows of no destroy.
   *
   * @param passedOnTo who the change itself is passed on to; null when it is not
   */
  Scribe tombstoneFor(Scribe change, RecordHistory history, Recipients passedOnTo) {
    Stamp destroyed = history.destroyed();
    if (change.type() == ScribeType.DESTROY || destroyed == null || history.exists(false)) {
      return null;
    }
    Recipients to = change.origin().map(origin -> Recipients.of(List.of(origin)))
        .orElse(Recipients.of(List.of()));
    if (passedOnTo != null) {
      to = to.union(passedOnTo);
    }
    boolean nobody = !to.isEveryone() && to.uids().isEmpty();
    return nobody ? null : Scribe.builder().klass(model.klass()).type(ScribeType.DESTROY)
        .data(Json.NODES.arrayNode(1).add(idJsonOf(change))).recipients(to).stamp(destroyed)
        .build();
  }

  /**
   * A record whole, as a create stamped as its fields are: the record's create stamp (or
   * {@code fallback} when its history has none) and, as field stamps, those that differ from it.
   * What brings a node that may have missed some of the record's writes to the same record.
   *
   * <p>Static: a repository without convergence (and so without a merger) shares records whole
   * too, unstamped.
   *
   * @param history the record's history; null when it has none
   */
  static Scribe wholeRecord(String klass, ObjectNode whole, RecordHistory history, Stamp fallback,
      Recipients to) {
    return wholeRecord(klass, whole, null, history, fallback, to);
  }

  /**
   * As {@link #wholeRecord(String, ObjectNode, RecordHistory, Stamp, Recipients)}, with the
   * record's JSON text as stored, {@code wholeJson}, which the scribe is then written with
   * rather than writing the tree again; null when there is none.
   */
  static Scribe wholeRecord(String klass, ObjectNode whole, String wholeJson,
      RecordHistory history, Stamp fallback, Recipients to) {
    Stamp created = history == null ? null
        : history.created() != null ? history.created() : fallback;
    Map<String, Stamp> fieldStamps = new HashMap<>();
    if (history != null && created != null) {
      history.fields().forEach((field, stamp) -> {
        if (whole.has(field) && !stamp.equals(created)) {
          fieldStamps.put(field, stamp);
        }
      });
    }
    return Scribe.builder().klass(klass).type(ScribeType.CREATE).data(whole, wholeJson)
        .recipients(to).stamp(created).fieldStamps(fieldStamps).build();
  }

  /**
   * Whether a peer's create brought a record back here over values kept from its earlier life
   * that won over the create's own (later writes that lost to its destroy): the sender, and
   * those who get the create as it came, may not know those values.
   */
  boolean revivedOverKeptValues(Scribe create, Merged merged) {
    Scribe effective = merged.effective();
    return create.type() == ScribeType.CREATE && effective != null
        && effective.type() == ScribeType.CREATE && !effective.data().equals(create.data());
  }

  /**
   * A change made on this node: its scribe stamped after everything the record holds, the
   * record's history updated to match, and the object to store (the saved one, except that a
   * field that merges keeps what the merge says: a set keeps the elements other nodes added,
   * even when the save left them out).
   */
  record Local<T>(Scribe scribe, RecordHistory history, T after) {}

  /**
   * @param history the record's history as read; updated in place
   * @param before the record's JSON before the change; null when it did not exist
   */
  Local<T> stampLocal(RecordHistory history, ObjectNode before, T after, Scribe scribe) {
    Stamp stamp = convergence.stampLocal(history);
    LastWriterWins.Effect effect = LastWriterWins.apply(
        history, scribe.type(), fieldsOf(scribe), stamp, before, model.idField(), merges);
    Scribe stamped = scribe.toBuilder().stamp(stamp).build();
    if (merges.isEmpty() || after == null) {
      return new Local<>(stamped, history, after);
    }
    ObjectNode saved = model.toData(after);
    ObjectNode held = before != null ? before : history.retained();
    boolean differs = false;
    for (String field : merges.keySet()) {
      JsonNode merged = effect.fields() != null && effect.fields().has(field)
          ? effect.fields().get(field) : held.get(field);
      if (merged != null && !merged.equals(saved.get(field))) {
        saved.set(field, merged);
        differs = true;
      }
    }
    if (differs && stamped.type() == ScribeType.CREATE) {
      // A create carries the record as stored, merged fields included: a node that never saw
      // what they merged with (one that got a snapshot after the record was destroyed) takes the
      // create as it comes.
      stamped = stamped.toBuilder().data(saved).build();
    }
    return new Local<>(stamped, history, differs ? model.restore(saved) : after);
  }

  /**
   * The removal of a peer's copy of a record it may not have (this node has none, or the peer
   * may not see it), for that peer alone: it changes nothing for anyone else. Stamped as the
   * refused change was, on the peer's own clock: a create of the record the peer made after it
   * is judged on its own and answered on its own, so the peer keeps the copy it created (see
   * {@code SyncedRepository#removeLocally}).
   */
  Scribe removalAnswering(Scribe refused, String client) {
    Scribe removal = removalFor(refused, client);
    return refused.stamp().map(stamp -> removal.toBuilder().stamp(stamp).build()).orElse(removal);
  }

  /** The removal of a peer's copy of a record, for that peer alone, whatever it holds. */
  Scribe removalFor(Scribe refused, String client) {
    return Scribe.removal(model.klass(), idJsonOf(refused), Recipients.of(List.of(client)));
  }

  /**
   * Whether this node created the record anew after {@code stamp} (a stamp of its own clock):
   * its copy is then that later create, not the change a removal stamped so answers.
   */
  boolean createdHereAfter(Stamp stamp, RecordHistory history) {
    Stamp created = history.created();
    return created != null && created.node().equals(convergence.nodeUid())
        && created.isAfter(stamp);
  }

  /**
   * This node's state of what a refused change touched, as a change to record again (stamped
   * by {@link #stampLocal} when it is written): the record whole for a refused destroy, else
   * the touched fields. Null when there is nothing to put back.
   */
  Scribe restoreOf(Scribe refused, T current) {
    if (refused.type() == ScribeType.DESTROY) {
      return model.recordCreate(current).orElse(null);
    }
    ObjectNode data = model.toData(current);
    ObjectNode fields = Json.NODES.objectNode();
    fieldsOf(refused).fieldNames().forEachRemaining(name -> {
      if (!name.equals(model.idField()) && data.has(name)) {
        fields.set(name, data.get(name));
      }
    });
    return fields.isEmpty() ? null : Scribe.builder().klass(model.klass())
        .type(ScribeType.UPDATE)
        .data(Json.NODES.arrayNode().add(data.get(model.idField())).add(fields))
        .recipients(model.recipientsOf(current))
        .build();
  }

  /**
   * Whether a refused update, or a refused create (a record passed on whole carries a stamp for
   * each field), is stamped after the stamp held here of a field it touched: had it not been
   * refused, it would have won there.
   */
  boolean stampedAfterFieldsItTouched(Scribe refused, RecordHistory history) {
    Stamp stamp = refused.stamp().orElse(null);
    if (refused.type() == ScribeType.DESTROY || stamp == null) {
      return false;
    }
    for (var names = fieldsOf(refused).fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(model.idField())
          && refused.fieldStamps().getOrDefault(name, stamp).isAfter(history.field(name))) {
        return true;
      }
    }
    return false;
  }

  /** A create's fields, an update's changes; nothing for a destroy. The shape is checked. */
  ObjectNode fieldsOf(Scribe scribe) {
    JsonNode data = scribe.data();
    switch (scribe.type()) {
      case CREATE:
        if (!data.isObject()) {
          throw new InvalidScribeException(model.klass() + " create data must be an object, got "
              + ScribeJson.describe(data));
        }
        return (ObjectNode) data;
      case UPDATE:
        if (!data.isArray() || data.size() != 2 || !data.get(1).isObject()) {
          throw new InvalidScribeException(model.klass() + " update data must be [id, {fields}],"
              + " got " + ScribeJson.describe(data));
        }
        return (ObjectNode) data.get(1);
      default:
        return Json.NODES.objectNode();
    }
  }

  /** The record's id as the scribe's data holds it. */
  JsonNode idJsonOf(Scribe scribe) {
    return scribe.type() == ScribeType.CREATE
        ? scribe.data().path(model.idField()) : scribe.data().path(0);
  }
}
