package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A change to one stored object, written in the same store operation as the scribe that records
 * it ({@link ScribeStore#append(io.syncro.runtime.Scribe, ObjectChange)}): the object's new JSON,
 * or its removal, the record's merge history (the stamps of its fields, kept under
 * {@link #historyKlass()}), and, for a peer's change, that peer's state with its cursor moved past
 * it: so that a crash never leaves an object whose stamps, log or cursor say otherwise.
 *
 * @param klass the wire name of the object's class
 * @param id the object's id as stores key it
 * @param json the object's new JSON; null when the change removes it
 * @param history the record's history JSON to store with it; null to leave it as it is
 * @param client the state of the client the change came from, to store with it; null for none
 */
public record ObjectChange(String klass, String id, String json, String history, ClientState client) {
  /**
   * What a store's object namespaces for merge histories start with: the history of a record of
   * class {@code K} is kept as an object of class {@code ~history/K}, under the record's id.
   */
  public static final String HISTORY_PREFIX = "~history/";

  public ObjectChange {
    requireNonNull(klass, "klass");
    requireNonNull(id, "id");
  }

  /** Stores the object's JSON, replacing any. */
  public static ObjectChange put(String klass, String id, String json) {
    return new ObjectChange(klass, id, requireNonNull(json, "json"), null, null);
  }

  /** Removes the object. */
  public static ObjectChange remove(String klass, String id) {
    return new ObjectChange(klass, id, null, null, null);
  }

  /** This change, storing the record's history with it. */
  public ObjectChange withHistory(String history) {
    return new ObjectChange(klass, id, json, requireNonNull(history, "history"), client);
  }

  /** This change, storing the state of the client it came from with it (its cursor moved). */
  public ObjectChange withClient(ClientState client) {
    return new ObjectChange(klass, id, json, history, requireNonNull(client, "client"));
  }

  /** The new JSON; empty for a removal. */
  public Optional<String> newJson() {
    return Optional.ofNullable(json);
  }

  /** The class under which this record's history is stored. */
  public String historyKlass() {
    return HISTORY_PREFIX + klass;
  }

  /** Applies the change on its own, without a scribe, as the store's separate writes would. */
  public void applyTo(ScribeStore store) {
    if (json == null) {
      store.removeObject(klass, id);
    } else {
      store.putObject(klass, id, json);
    }
    if (history != null) {
      store.putObject(historyKlass(), id, history);
    }
    if (client != null) {
      store.saveClient(client);
    }
  }
}
