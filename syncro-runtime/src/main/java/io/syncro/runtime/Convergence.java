package io.syncro.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.HybridClock;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.RecordHistory;
import io.syncro.runtime.store.ObjectChange;
import io.syncro.runtime.store.ScribeStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What a node needs to merge changes the same way as every other node: its hybrid logical clock
 * and the records' merge histories, both kept in its store. Thread-safe.
 *
 * <p>The clock never runs backwards across restarts: before it gives a stamp past the ceiling
 * kept in the store, it moves the ceiling {@link #CEILING_STEP} ahead (one small write a few
 * seconds), and a restarted node starts from the ceiling. A local change is also stamped after
 * every stamp its record already holds, so it wins even against a clock set back.
 */
final class Convergence {
  /** How far ahead of the stamps given the stored ceiling is moved. */
  static final long CEILING_STEP = 10_000;
  private static final String NODE_KLASS = "~syncro";
  private static final String CLOCK_ID = "clock";

  private final ScribeStore store;
  private final HybridClock clock;
  private final String nodeUid;
  private long ceiling;

  Convergence(ScribeStore store, String nodeUid, LongSupplier wallMillis, Duration maxSkew) {
    this.store = store;
    this.nodeUid = nodeUid;
    this.ceiling = storedCeiling(store);
    this.clock = new HybridClock(nodeUid, wallMillis, maxSkew.toMillis(),
        ceiling == 0 ? null : new Stamp(ceiling, 0, nodeUid));
  }

  private static long storedCeiling(ScribeStore store) {
    Optional<String> json = store.object(NODE_KLASS, CLOCK_ID);
    if (json.isEmpty()) {
      return 0;
    }
    try {
      return Json.readTree(json.get()).path("ceiling").asLong(0);
    } catch (JsonProcessingException e) {
      throw new StorageException("the stored clock is not JSON: " + json.get(), e);
    }
  }

  /** The uid of the node whose stamps this clock gives. */
  String nodeUid() {
    return nodeUid;
  }

  /** A stamp for a change made on this node now, later than any the record holds. */
  Stamp stampLocal(RecordHistory history) {
    observeAll(history);
    return kept(clock.next());
  }

  /**
   * The stamp to keep for a peer's change: its own (the clock moves past it), a stamp of this
   * node's when it had none (an original peer), or when it was too far ahead to trust.
   */
  Stamp stampArrived(Scribe scribe) {
    return kept(scribe.stamp().map(clock::observe).orElseGet(clock::next));
  }

  /**
   * The field stamps to keep for a shared record's fields ({@link Scribe#fieldStamps()}), each
   * taken in as {@link #stampArrived} takes the scribe's own.
   */
  Map<String, Stamp> fieldStampsArrived(Scribe scribe) {
    if (scribe.fieldStamps().isEmpty()) {
      return Map.of();
    }
    Map<String, Stamp> kept = new HashMap<>();
    scribe.fieldStamps().forEach((field, stamp) -> kept.put(field, kept(clock.observe(stamp))));
    return kept;
  }

  /** A record's merge history; empty when none is stored. */
  RecordHistory history(String klass, String id) {
    return history(klass, id, store.object(ObjectChange.HISTORY_PREFIX + klass, id).orElse(null));
  }

  /** A record's merge history from its stored text ({@code text} null: empty). */
  static RecordHistory history(String klass, String id, String text) {
    return history(klass, id, text, null, null);
  }

  /**
   * A record's merge history from its stored text and the record's stored JSON (null when it is
   * not stored), which an abbreviated history needs (see {@link RecordHistory}).
   */
  static RecordHistory history(
      String klass, String id, String text, ObjectNode record, String idField) {
    if (text == null) {
      return new RecordHistory();
    }
    try {
      return RecordHistory.read(text, record, idField);
    } catch (JsonProcessingException e) {
      throw new StorageException("the stored history of " + klass + " " + id + " is not JSON", e);
    }
  }

  /** Stores a record's history on its own (no object or scribe changes with it). */
  void saveHistory(String klass, String id, RecordHistory history) {
    store.putObject(ObjectChange.HISTORY_PREFIX + klass, id, history.toJsonText());
  }

  private void observeAll(RecordHistory history) {
    observe(history.created());
    observe(history.destroyed());
    history.fields().values().forEach(this::observe);
  }

  private void observe(Stamp stamp) {
    if (stamp != null) {
      clock.observe(stamp);
    }
  }

  /** Moves the stored ceiling ahead before a stamp passes it. */
  private synchronized Stamp kept(Stamp stamp) {
    if (stamp.millis() >= ceiling) {
      long next = stamp.millis() + CEILING_STEP;
      JsonNode json = Json.NODES.objectNode().put("ceiling", next);
      store.putObject(NODE_KLASS, CLOCK_ID, json.toString());
      ceiling = next;
    }
    return stamp;
  }
}
