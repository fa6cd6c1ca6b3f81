package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.store.ObjectChange;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The application's door to the objects of one synced class: saves and deletes go to a
 * {@link Repository} and are recorded as scribes; scribes from peers are replayed into the same
 * repository.
 *
 * <p>A save of an object whose id is new records a create; a save of a known id records an
 * update holding only the fields that differ from the stored object (nothing, when none do).
 *
 * <p>Every change is one unit of work: the object and its scribe are both stored, or neither.
 * On a {@link Syncro} node whose objects live in its store ({@link Syncro.Builder#model(Class)})
 * they are written in one store operation, so not even a crash separates them, and the scribe is
 * pushed to peers only once both are stored. Otherwise the object is stored first and then the
 * scribe handed to the {@link ScribeRecorder}; a recorder that refuses it by throwing gets the
 * repository put back as it was.
 *
 * <p>Thread-safe: saves, deletes and replays of one repository run one at a time, so no change is
 * compared against a state another thread is replacing.
 */
public final class SyncedRepository<T, ID> {
  private final SyncModel<T, ID> model;
  private final Repository<T, ID> storage;
  private final ScribeRecorder recorder;
  private final ScribeAuthorizer<T> authorizer;
  /** Writes an object change and its scribe in one store operation; null when unavailable. */
  private final AtomicWriter atomicWriter;

  /**
   * @param model the class's generated model
   * @param storage where the objects live; it should keep copies, as {@link InMemoryRepository}
   *     does, or a mutated instance would be compared with itself
   * @param recorder receives each scribe recorded by a save, a delete or a replay
   */
  public SyncedRepository(
      SyncModel<T, ID> model, Repository<T, ID> storage, ScribeRecorder recorder) {
    this(model, storage, recorder, ScribeAuthorizer.recipientsOnly(model));
  }

  /**
   * A repository whose peers' changes must pass the given authorizer, instead of the default
   * {@link ScribeAuthorizer#recipientsOnly} (see {@link #replay}).
   */
  public SyncedRepository(
      SyncModel<T, ID> model,
      Repository<T, ID> storage,
      ScribeRecorder recorder,
      ScribeAuthorizer<T> authorizer) {
    this(model, storage, recorder, authorizer, null);
  }

  /** A node's repository; with an atomic writer when the objects live in the node's store. */
  SyncedRepository(
      SyncModel<T, ID> model,
      Repository<T, ID> storage,
      ScribeRecorder recorder,
      ScribeAuthorizer<T> authorizer,
      AtomicWriter atomicWriter) {
    this.model = requireNonNull(model, "model");
    this.storage = requireNonNull(storage, "storage");
    this.recorder = requireNonNull(recorder, "recorder");
    this.authorizer = requireNonNull(authorizer, "authorizer");
    this.atomicWriter = atomicWriter;
  }

  /**
   * Stores a scribe and the change of the object it records in one operation of a node's store,
   * and pushes the scribe once both are in.
   */
  interface AtomicWriter {
    /**
     * @param scribe the scribe to record; null when the change records none
     * @return the scribe as stored; empty when none was (none given, or recording suspended)
     */
    Optional<Scribe> write(Scribe scribe, ObjectChange change);
  }

  /**
   * Stores the object and records its create or update.
   *
   * @return the recorded scribe; empty when nothing synced changed, the class does not record
   *     this kind of change, or recording is suspended
   * @throws IllegalArgumentException when the object has no id
   * @throws SyncroException when the scribe cannot be stored or recorded ({@link StorageException}
   *     on a failing store); nothing is stored or sent then
   */
  public synchronized Optional<Scribe> save(T object) {
    ID id = Ids.required(model, object, "save");
    Optional<T> stored = storage.find(id);
    Optional<Scribe> scribe =
        stored.isPresent() ? model.recordUpdate(stored.get(), object) : model.recordCreate(object);
    return write(new Change(id, stored, object, scribe.orElse(null)));
  }

  /**
   * Removes the object with this id and records its destroy.
   *
   * @return the recorded scribe; empty when there was no such object, the class does not record
   *     destroys, or recording is suspended
   */
  public synchronized Optional<Scribe> delete(ID id) {
    requireNonNull(id, "id");
    Optional<T> stored = storage.find(id);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    return write(new Change(id, stored, null, model.recordDestroy(stored.get()).orElse(null)));
  }

  /**
   * Applies a scribe of this class from a peer, and records the change as applied here (which
   * keeps the scribe's origin, so it is never sent back there).
   *
   * <p>The change is worked out first, without touching anything. When the scribe has an
   * origin (it came from a peer) and its record exists or it would create one, the repository's
   * {@link ScribeAuthorizer} decides on it, seeing the record now and as it would be: by
   * default, no client may change an existing record whose recipients leave it out.
   *
   * @return the recorded scribe; empty when the scribe changed nothing (see
   *     {@link SyncModel#syncPlay})
   * @throws InvalidScribeException when the scribe does not fit the class; nothing changed
   * @throws UnauthorizedScribeException when the peer may not make this change; nothing changed
   */
  public synchronized Optional<Scribe> replay(Scribe scribe) {
    Staging staging = new Staging();
    model.syncPlay(scribe, staging, staging);
    Change change = staging.change;
    ID id = change != null ? change.id : model.targetId(scribe);
    T current = change != null ? change.before.orElse(null) : storage.find(id).orElse(null);
    if (change == null && current == null) {
      return Optional.empty(); // about a record that does not exist, and changes nothing
    }
    String client = scribe.origin().orElse(null);
    if (client != null) {
      // Asked even when nothing would change (a create of an id that exists): a client must
      // not learn, or squat, records it may not see.
      T proposed = change == null ? current : change.after;
      ProposedChange<T> proposal = new ProposedChange<>(client, scribe, current,
          proposed == null ? null : model.copy(proposed),
          change == null ? Set.of() : changedFields(change.scribe));
      if (!authorizer.allows(proposal)) {
        throw new UnauthorizedScribeException(client + " may not " + scribe.type().wireName()
            + " " + model.klass() + " " + id);
      }
    }
    return change == null ? Optional.empty() : write(change);
  }

  /** The fields a scribe, as applied here, sets: a create's every field, an update's changed. */
  private static Set<String> changedFields(Scribe applied) {
    if (applied == null) {
      return Set.of();
    }
    JsonNode fields = applied.type() == ScribeType.CREATE ? applied.data() : applied.data().path(1);
    Set<String> names = new LinkedHashSet<>();
    fields.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** One change of one object: what it was, what it becomes (null: removed), and its scribe. */
  private final class Change {
    final ID id;
    final Optional<T> before;
    final T after;
    final Scribe scribe;

    Change(ID id, Optional<T> before, T after, Scribe scribe) {
      this.id = id;
      this.before = before;
      this.after = after;
      this.scribe = scribe;
    }
  }

  /** Stores the change and its scribe together, or neither. */
  private Optional<Scribe> write(Change change) {
    if (atomicWriter != null) {
      String key = model.idKey(change.id);
      ObjectChange objectChange = change.after == null
          ? ObjectChange.remove(model.klass(), key)
          : ObjectChange.put(model.klass(), key, model.toData(change.after).toString());
      return atomicWriter.write(change.scribe, objectChange);
    }
    if (change.after == null) {
      storage.remove(change.id);
    } else {
      storage.put(change.after);
    }
    if (change.scribe == null) {
      return Optional.empty();
    }
    try {
      return recorder.record(change.scribe);
    } catch (RuntimeException e) {
      undo(change, e);
      throw e;
    }
  }

  /** Puts the repository back as it was before a change whose scribe was refused. */
  private void undo(Change change, RuntimeException cause) {
    try {
      if (change.before.isPresent()) {
        storage.put(change.before.get());
      } else {
        storage.remove(change.id);
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * What a replay hands its repository and recorder: the change is held here, not made, so it
   * can then be written with its scribe as one unit. Reads go to the real repository.
   */
  private final class Staging implements Repository<T, ID>, ScribeRecorder {
    private Scribe scribe;
    private Change change;

    @Override
    public Optional<Scribe> record(Scribe recorded) {
      scribe = recorded;
      return Optional.of(recorded);
    }

    @Override
    public Optional<T> find(ID id) {
      return storage.find(id);
    }

    @Override
    public List<T> findAll() {
      return storage.findAll();
    }

    @Override
    public void put(T object) {
      ID id = model.idOf(object);
      // Read again, not taken from find(): replay updates the object it found in place, and the
      // record as it was is what the authorizer sees and what an undo puts back.
      change = new Change(id, storage.find(id), object, scribe);
    }

    @Override
    public Optional<T> remove(ID id) {
      Optional<T> existing = storage.find(id);
      change = new Change(id, existing, null, scribe);
      return existing;
    }
  }

  public Optional<T> find(ID id) {
    return storage.find(id);
  }

  public List<T> findAll() {
    return storage.findAll();
  }

  public SyncModel<T, ID> model() {
    return model;
  }
}
