package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Repository} in memory that keeps copies: what goes in and what comes out are copies
 * made by the class's {@link SyncModel}, so mutating an object after {@code put}, or one returned
 * by {@code find}, never changes what is stored. That is what lets a later save of a mutated
 * instance be compared with what was recorded, down to an element added to a list in place.
 *
 * <p>Thread-safe. {@link #findAll()} returns objects in the order they were first put.
 */
public final class InMemoryRepository<T, ID> implements Repository<T, ID> {
  private final SyncModel<T, ID> model;
  private final Map<ID, T> objects = new LinkedHashMap<>();

  public InMemoryRepository(SyncModel<T, ID> model) {
    this.model = requireNonNull(model, "model");
  }

  /**
   * An empty repository for a {@link io.syncro.Syncable} class whose id has the given type.
   *
   * @throws SyncroConfigurationException as {@link SyncModels#of(Class, Class)} does
   */
  public static <T, ID> InMemoryRepository<T, ID> of(Class<T> type, Class<ID> idType) {
    return new InMemoryRepository<>(SyncModels.of(type, idType));
  }

  @Override
  public synchronized Optional<T> find(ID id) {
    T stored = objects.get(requireNonNull(id, "id"));
    return stored == null ? Optional.empty() : Optional.of(model.copy(stored));
  }

  @Override
  public synchronized List<T> findAll() {
    List<T> copies = new ArrayList<>(objects.size());
    for (T stored : objects.values()) {
      copies.add(model.copy(stored));
    }
    return copies;
  }

  @Override
  public void put(T object) {
    ID id = Ids.required(model, object, "store");
    T copy = model.copy(object);
    synchronized (this) {
      objects.put(id, copy);
    }
  }

  @Override
  public synchronized Optional<T> remove(ID id) {
    return Optional.ofNullable(objects.remove(requireNonNull(id, "id")));
  }

  /** How many objects are stored. */
  public synchronized int size() {
    return objects.size();
  }
}
