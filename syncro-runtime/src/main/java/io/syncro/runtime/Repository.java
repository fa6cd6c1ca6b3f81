package io.syncro.runtime;

import java.util.List;
import java.util.Optional;

/**
 * Where the application's objects of one synced class live; replay reads and writes them
 * through this interface. {@link InMemoryRepository} is the one that ships.
 *
 * <p>Implementations must be safe to call from several threads.
 *
 * @param <T> the synced class
 * @param <ID> the type of its id, boxed
 */
public interface Repository<T, ID> {

  /** The object with this id, if there is one. */
  Optional<T> find(ID id);

  /** Every object, in an order the implementation defines. */
  List<T> findAll();

  /** Stores the object, replacing any with the same id. */
  void put(T object);

  /** Removes the object with this id; returns it, or empty when there was none. */
  Optional<T> remove(ID id);
}
