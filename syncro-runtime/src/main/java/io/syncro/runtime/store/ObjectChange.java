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
 * @param expected what the record's history must still be for the change to be written; null
 *     to write it whatever the history is now
 */
public record ObjectChange(
    String klass, String id, String json, String history, ClientState client, Expected expected) {

  /**
   * What the store must still hold for the change to be written. A store shared by several nodes
   * writes the change only if it does, and else throws
   * {@link io.syncro.runtime.ConcurrentChangeException}, writing nothing.
   *
   * @param history the record's history as it was read when the change was worked out; null:
   *     there was none
   * @param nothingStored whether the store must also hold no object under the id: the change
   *     was worked out without a read, taking the record for new (see {@link #ifNothingStored})
   */
  public record Expected(String history, boolean nothingStored) {
    /** The history as read, whatever the object. */
    public Expected(String history) {
      this(history, false);
    }
  }
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
    return new ObjectChange(klass, id, requireNonNull(json, "json"), null, null, null);
  }

  /** Removes the object. */
  public static ObjectChange remove(String klass, String id) {
    return new ObjectChange(klass, id, null, null, null, null);
  }

  /** This change, storing the record's history with it. */
  public ObjectChange withHistory(String history) {
    return new ObjectChange(klass, id, json, requireNonNull(history, "history"), client, expected);
  }

  /** This change, storing the state of the client it came from with it (its cursor moved). */
  public ObjectChange withClient(ClientState client) {
    return new ObjectChange(klass, id, json, history, requireNonNull(client, "client"), expected);
  }

  /**
   * This change, written only if the record's history is still {@code readFrom} (null: none),
   * as it was when the change was worked out.
   */
  public ObjectChange ifHistoryStill(String readFrom) {
    return new ObjectChange(klass, id, json, history, client, new Expected(readFrom));
  }

  /**
   * This change, written only if the store holds neither the record nor its history: a save on
   * a store other nodes share takes an id it has not seen for a new record without reading it,
   * a round trip saved, and is worked out again from a read when the store refuses it.
   */
  public ObjectChange ifNothingStored() {
    return new ObjectChange(klass, id, json, history, client, new Expected(null, true));
  }

  /** Whether the store holds what this change expects; always true when it expects nothing. */
  public boolean expectationHolds(ScribeStore store) {
    if (expected == null) {
      return true;
    }
    return java.util.Objects.equals(store.object(historyKlass(), id).orElse(null), expected.history())
        && !(expected.nothingStored() && store.object(klass, id).isPresent());
  }

  /** The new JSON; empty for a removal. */
  public Optional<String> newJson() {
    return Optional.ofNullable(json);
  }

  /** The failure of a change whose expected history is gone. */
  public io.syncro.runtime.ConcurrentChangeException concurrentChange() {
    return new io.syncro.runtime.ConcurrentChangeException(
        klass + " " + id + " changed on another node while this one merged a change of it");
  }

  /** The class under which this record's history is stored. */
  public String historyKlass() {
    return HISTORY_PREFIX + klass;
  }

  /**
   * Applies the change on its own, without a scribe, as the store's separate writes would.
   *
   * @throws io.syncro.runtime.ConcurrentChangeException when the history it expects is gone
   */
  public void applyTo(ScribeStore store) {
    if (!expectationHolds(store)) {
      throw concurrentChange();
    }
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
