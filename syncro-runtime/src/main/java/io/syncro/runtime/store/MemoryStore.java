package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.Scribe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ScribeStore} in memory: nothing survives the process. For tests and throwaway nodes.
 *
 * <p>Ids are the decimal numbers 1, 2, 3, ... Each recipient has an index of the sequence numbers
 * of the scribes addressed to it, and one more index holds those addressed to everyone; "since a
 * cursor" finds its place in both by binary search and merges them, O(log n + k). Thread-safe.
 */
public final class MemoryStore implements ScribeStore {
  /** Scribe number n is at index n - 1. */
  private final List<Scribe> scribes = new ArrayList<>();
  private final SequenceIndex toEveryone = new SequenceIndex();
  private final Map<String, SequenceIndex> toClient = new HashMap<>();
  private final Map<String, ClientState> clients = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> objects = new HashMap<>();

  @Override
  public synchronized Scribe append(Scribe scribe) {
    requireNonNull(scribe, "scribe");
    long sequence = scribes.size() + 1L;
    Scribe stored = scribe.withId(Long.toString(sequence));
    scribes.add(stored);
    if (stored.recipients().isEveryone()) {
      toEveryone.add(sequence);
    } else {
      for (String uid : stored.recipients().uids()) {
        toClient.computeIfAbsent(uid, u -> new SequenceIndex()).add(sequence);
      }
    }
    return stored;
  }

  @Override
  public synchronized List<Scribe> since(String clientUid, String cursor, int limit) {
    requireNonNull(clientUid, "clientUid");
    List<Scribe> result = new ArrayList<>(Math.min(limit, 1024));
    Merge merge = new Merge(clientUid, position(cursor));
    Scribe next;
    while (result.size() < limit && (next = merge.next()) != null) {
      result.add(next);
    }
    return result;
  }

  @Override
  public synchronized long countSince(String clientUid, String cursor) {
    requireNonNull(clientUid, "clientUid");
    long count = 0;
    Merge merge = new Merge(clientUid, position(cursor));
    while (merge.next() != null) {
      count++;
    }
    return count;
  }

  @Override
  public synchronized Optional<String> lastIdFor(String clientUid) {
    requireNonNull(clientUid, "clientUid");
    SequenceIndex own = toClient.getOrDefault(clientUid, SequenceIndex.EMPTY);
    int i = toEveryone.size - 1;
    int j = own.size - 1;
    while (i >= 0 || j >= 0) {
      long candidate;
      if (j < 0 || (i >= 0 && toEveryone.at(i) > own.at(j))) {
        candidate = toEveryone.at(i--);
      } else {
        candidate = own.at(j--);
      }
      Scribe scribe = scribes.get((int) (candidate - 1));
      if (!clientUid.equals(scribe.origin().orElse(null))) {
        return Optional.of(scribe.id());
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized ClientState client(String uid) {
    requireNonNull(uid, "uid");
    return clients.getOrDefault(uid, ClientState.unknown(uid));
  }

  @Override
  public synchronized void saveClient(ClientState state) {
    requireNonNull(state, "state");
    clients.put(state.uid(), state);
  }

  @Override
  public synchronized List<ClientState> clients() {
    return List.copyOf(clients.values());
  }

  @Override
  public synchronized long lastSequence() {
    return scribes.size();
  }

  @Override
  public synchronized List<Scribe> range(long afterSequence, long throughSequence) {
    long from = Math.max(afterSequence, 0);
    long through = Math.min(throughSequence, scribes.size());
    return from >= through ? List.of() : List.copyOf(scribes.subList((int) from, (int) through));
  }

  @Override
  public synchronized void putObject(String klass, String id, String json) {
    requireNonNull(json, "json");
    objects.computeIfAbsent(requireNonNull(klass, "klass"), k -> new LinkedHashMap<>())
        .put(requireNonNull(id, "id"), json);
  }

  @Override
  public synchronized Optional<String> object(String klass, String id) {
    return Optional.ofNullable(objects.getOrDefault(klass, Map.of()).get(id));
  }

  @Override
  public synchronized void removeObject(String klass, String id) {
    Map<String, String> ofKlass = objects.get(klass);
    if (ofKlass != null) {
      ofKlass.remove(id);
    }
  }

  @Override
  public synchronized List<String> objects(String klass) {
    return List.copyOf(objects.getOrDefault(klass, Map.of()).values());
  }

  /** How many scribes are stored. */
  public synchronized int size() {
    return scribes.size();
  }

  @Override
  public void close() {}

  /** The sequence number a cursor stands for; 0 (from the start) when this store never minted it. */
  private long position(String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      long sequence = Long.parseLong(cursor);
      return sequence >= 1 && sequence <= scribes.size() ? sequence : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Walks the scribes addressed to one client after a position, oldest first: the merge of the
   * index of scribes to everyone and the client's own, leaving out those that came from it.
   * Callers hold the store's lock.
   */
  private final class Merge {
    private final String clientUid;
    private final SequenceIndex own;
    private int i;
    private int j;

    Merge(String clientUid, long after) {
      this.clientUid = clientUid;
      this.own = toClient.getOrDefault(clientUid, SequenceIndex.EMPTY);
      this.i = toEveryone.firstAfter(after);
      this.j = own.firstAfter(after);
    }

    /** The next scribe, or null when there is none. */
    Scribe next() {
      while (i < toEveryone.size || j < own.size) {
        long sequence;
        if (j >= own.size || (i < toEveryone.size && toEveryone.at(i) < own.at(j))) {
          sequence = toEveryone.at(i++);
        } else {
          sequence = own.at(j++);
        }
        Scribe scribe = scribes.get((int) (sequence - 1));
        if (!clientUid.equals(scribe.origin().orElse(null))) {
          return scribe;
        }
      }
      return null;
    }
  }

  /** A growing, sorted array of sequence numbers. */
  private static final class SequenceIndex {
    static final SequenceIndex EMPTY = new SequenceIndex();

    private long[] values = new long[16];
    private int size;

    void add(long sequence) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = sequence;
    }

    long at(int index) {
      return values[index];
    }

    /** The index of the first value greater than {@code sequence}. */
    int firstAfter(long sequence) {
      int found = Arrays.binarySearch(values, 0, size, sequence);
      return found >= 0 ? found + 1 : -found - 1;
    }
  }
}
