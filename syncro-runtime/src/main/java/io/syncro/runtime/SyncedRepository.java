package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The application's door to the objects of one synced class: saves and deletes go to a
 * {@link Repository} and are recorded as scribes; scribes from peers are replayed into the same
 * repository.
 *
 * <p>A save of an object whose id is new records a create; a save of a known id records an
 * update holding only the fields that differ from the stored object (nothing, when none do).
 * The scribe goes to the {@link ScribeRecorder} before the object is stored, so a recorder that
 * refuses it by throwing leaves the repository unchanged.
 *
 * <p>Thread-safe: saves, deletes and replays of one repository run one at a time, so no change is
 * compared against a state another thread is replacing.
 */
public final class SyncedRepository<T, ID> {
  private final SyncModel<T, ID> model;
  private final Repository<T, ID> storage;
  private final ScribeRecorder recorder;
  private final ScribeAuthorizer<T> authorizer;

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
    this.model = requireNonNull(model, "model");
    this.storage = requireNonNull(storage, "storage");
    this.recorder = requireNonNull(recorder, "recorder");
    this.authorizer = requireNonNull(authorizer, "authorizer");
  }

  /**
   * Stores the object and records its create or update.
   *
   * @return the recorded scribe; empty when nothing synced changed, the class does not record
   *     this kind of change, or recording is suspended
   * @throws IllegalArgumentException when the object has no id
   * @throws SyncroException when the recorder refuses the scribe; nothing is stored then
   */
  public synchronized Optional<Scribe> save(T object) {
    ID id = Ids.required(model, object, "save");
    Optional<T> stored = storage.find(id);
    Optional<Scribe> scribe =
        stored.isPresent() ? model.recordUpdate(stored.get(), object) : model.recordCreate(object);
    Optional<Scribe> recorded = scribe.flatMap(recorder::record);
    storage.put(object);
    return recorded;
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
    Optional<Scribe> recorded = model.recordDestroy(stored.get()).flatMap(recorder::record);
    storage.remove(id);
    return recorded;
  }

  /**
   * Applies a scribe of this class from a peer, and records the change as applied here (which
   * keeps the scribe's origin, so it is never sent back there).
   *
   * <p>A scribe with an origin (one from a peer) must first be allowed by the repository's
   * {@link ScribeAuthorizer}: by default, no client may change an existing record whose
   * recipients leave it out.
   *
   * @return the recorded scribe; empty when the scribe changed nothing (see
   *     {@link SyncModel#syncPlay})
   * @throws InvalidScribeException when the scribe does not fit the class; nothing changed
   * @throws UnauthorizedScribeException when the peer may not make this change; nothing changed
   */
  public synchronized Optional<Scribe> replay(Scribe scribe) {
    scribe.origin().ifPresent(client -> authorize(client, scribe));
    return model.syncPlay(scribe, storage, recorder);
  }

  private void authorize(String client, Scribe scribe) {
    ID id = model.targetId(scribe);
    T current = storage.find(id).orElse(null);
    if (!authorizer.allows(client, scribe, current)) {
      throw new UnauthorizedScribeException(client + " may not " + scribe.type().wireName() + " "
          + model.klass() + " " + id);
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
