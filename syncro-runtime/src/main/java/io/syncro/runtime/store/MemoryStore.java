package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.Scribe;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ScribeStore} in memory: nothing survives the process. For tests and throwaway nodes.
 *
 * <p>Ids are the decimal numbers 1, 2, 3, ... "Since a cursor" is O(log n + k) (see
 * {@link RecipientIndex}). Thread-safe.
 */
public final class MemoryStore extends IndexedStore {
  /** Scribe number n is at index n - 1. */
  private final List<Scribe> scribes = new ArrayList<>();

  /** Unknown: the objects are shared with the rest of the heap. */
  @Override
  protected long bytesKept() {
    return -1;
  }

  @Override
  public synchronized Scribe append(Scribe scribe) {
    requireNonNull(scribe, "scribe");
    long sequence = rememberScribe(scribe.audience(), scribe.origin().orElse(null));
    Scribe stored = scribe.withId(Long.toString(sequence));
    // Kept as text: a data tree takes several times the memory, and catch-ups write the text.
    scribes.add(stored.compacted());
    return stored;
  }

  @Override
  public synchronized Scribe append(Scribe scribe, ObjectChange change) {
    requireNonNull(change, "change");
    if (!change.expectationHolds(this)) {
      throw change.concurrentChange();
    }
    Scribe stored = append(scribe);
    change.applyTo(this);
    return stored;
  }

  @Override
  protected Scribe scribeAt(long sequence) {
    return scribes.get((int) sequence - 1);
  }

  @Override
  public synchronized void saveClient(ClientState state) {
    rememberClient(requireNonNull(state, "state"));
  }

  @Override
  public synchronized void putObject(String klass, String id, String json) {
    rememberObject(requireNonNull(klass, "klass"), requireNonNull(id, "id"), requireNonNull(json, "json"));
  }

  @Override
  public synchronized void removeObject(String klass, String id) {
    forgetObject(klass, id);
  }

  /** How many scribes are stored. */
  public synchronized int size() {
    return scribes.size();
  }

  @Override
  public void close() {}
}
