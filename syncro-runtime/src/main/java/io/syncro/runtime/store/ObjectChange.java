package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A change to one stored object, written in the same store operation as the scribe that records
 * it ({@link ScribeStore#append(io.syncro.runtime.Scribe, ObjectChange)}): the object's new JSON,
 * or its removal.
 *
 * @param klass the wire name of the object's class
 * @param id the object's id as stores key it
 * @param json the object's new JSON; null when the change removes it
 */
public record ObjectChange(String klass, String id, String json) {

  public ObjectChange {
    requireNonNull(klass, "klass");
    requireNonNull(id, "id");
  }

  /** Stores the object's JSON, replacing any. */
  public static ObjectChange put(String klass, String id, String json) {
    return new ObjectChange(klass, id, requireNonNull(json, "json"));
  }

  /** Removes the object. */
  public static ObjectChange remove(String klass, String id) {
    return new ObjectChange(klass, id, null);
  }

  /** The new JSON; empty for a removal. */
  public Optional<String> newJson() {
    return Optional.ofNullable(json);
  }

  /** Applies the change on its own, without a scribe, as the store's separate writes would. */
  public void applyTo(ScribeStore store) {
    if (json == null) {
      store.removeObject(klass, id);
    } else {
      store.putObject(klass, id, json);
    }
  }
}
