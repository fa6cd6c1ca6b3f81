package io.syncro.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import java.util.Optional;

/**
 * The generated recorder and replayer of one {@link io.syncro.Syncable} class: turns changes to
 * its objects into scribes, and scribes back into changes, with no reflection.
 *
 * <p>Get one with {@link SyncModels#of(Class)}. Implementations are generated, stateless and
 * thread-safe; share them freely.
 *
 * @param <T> the synced class
 * @param <ID> the type of its id, boxed
 */
public interface SyncModel<T, ID> {

  /** The synced class. */
  Class<T> type();

  /** The type of the class's id, boxed when the id is a primitive. */
  Class<ID> idType();

  /** The class's wire name, the {@code klass} of its scribes. */
  String klass();

  /** Whether changes of this type are recorded, per the class's {@code only} / {@code except}. */
  boolean records(ScribeType type);

  /** The object's id; null when it has none yet. */
  ID idOf(T object);

  /** The name of the id field in scribe data (and in {@link #toData}). */
  String idField();

  /** The id of the record a scribe of this class changes, read from its data. */
  ID targetId(Scribe scribe);

  /** The id as text, as stores key objects: a string id as it is, a number in decimal. */
  String idKey(ID id);

  /** Every synced field of the object, the id included: a create's data. */
  ObjectNode toData(T object);

  /**
   * An object rebuilt from data written by {@link #toData}; fields it lacks keep their initial
   * values.
   *
   * @throws InvalidScribeException when the data does not fit the class
   */
  T restore(ObjectNode data);

  /** Who receives the object's scribes, from its {@code scribeClients()} method if it has one. */
  Recipients recipientsOf(T object);

  /**
   * A copy of the object that shares no mutable synced state with it: collections, arrays and
   * nested objects are copied deeply. Fields left out of sync are copied by reference, where the
   * class lets generated code reach them.
   */
  T copy(T object);

  /**
   * The scribe of a new object: every synced field, the id included, nulls kept. Empty when the
   * class does not record creates.
   *
   * @throws IllegalArgumentException when the object has no id
   */
  Optional<Scribe> recordCreate(T object);

  /**
   * The scribe of a change from {@code before} to {@code after}, holding only the fields whose
   * values differ. Empty when nothing synced changed or the class does not record updates.
   *
   * @throws IllegalArgumentException when the two objects have different ids, or none
   */
  Optional<Scribe> recordUpdate(T before, T after);

  /**
   * The scribe of a removed object: its id alone. Empty when the class does not record destroys.
   *
   * @throws IllegalArgumentException when the object has no id
   */
  Optional<Scribe> recordDestroy(T object);

  /**
   * Applies a scribe of this class to the objects in a repository: a create adds a new object
   * built from the data; an update sets only the fields the data holds; a destroy removes the
   * object. Fields the class does not know are ignored, so a newer peer may send more.
   *
   * <p>Replay is idempotent: a create of an id that exists, an update or destroy of an id that
   * does not, and an update that changes nothing leave the repository as it is and return
   * empty.
   *
   * @return the change as it was applied here, to be recorded under a new id of this node and
   *     passed on (with the given scribe's origin, and recipients from the object as it is now);
   *     empty when nothing changed
   * @throws InvalidScribeException when the scribe is not of this class or its data does not fit
   *     the class; the repository is not touched then
   */
  default Optional<Scribe> syncPlay(Scribe scribe, Repository<T, ID> repository) {
    return syncPlay(scribe, repository, Optional::of);
  }

  /**
   * {@link #syncPlay(Scribe, Repository)}, handing the change as applied to a recorder before the
   * repository is changed: when the recorder throws, the repository stays as it was.
   *
   * @return what the recorder returned; empty when nothing changed
   */
  Optional<Scribe> syncPlay(Scribe scribe, Repository<T, ID> repository, ScribeRecorder recorder);
}
