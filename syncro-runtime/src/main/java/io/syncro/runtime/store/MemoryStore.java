package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.Scribe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ScribeStore} in memory: nothing survives the process. For tests and throwaway nodes.
 *
 * <p>Ids are the decimal numbers 1, 2, 3, ... "Since a cursor" is O(log n + k) (see
 * {@link RecipientIndex}). A {@link #trim} drops scribes at once. Thread-safe.
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
    long sequence = rememberScribe(scribe.audience(), scribe.origin().orElse(null),
        System.currentTimeMillis());
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
    // The change first, as the durable stores apply it: a record destroyed here is a tombstone
    // from the scribe that destroys it on.
    change.applyTo(this);
    return append(scribe);
  }

  @Override
  protected Scribe scribeAt(long sequence) {
    return scribes.get(indexOf(sequence));
  }

  @Override
  protected void forgetOldestScribes(int count) {
    scribes.subList(0, count).clear();
  }

  @Override
  public synchronized TrimResult trim(Retention retention, long keepFrom, Instant now) {
    return dropBefore(firstToKeep(retention, keepFrom, now), now);
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

  /** How many scribes are kept. */
  public synchronized int size() {
    return scribes.size();
  }

  @Override
  public void close() {}
}
