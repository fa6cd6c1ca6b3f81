package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.Scribe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ScribeStore} in memory: nothing survives the process. For tests and throwaway nodes.
 *
 * <p>Ids are the decimal numbers 1, 2, 3, ... "Since a cursor" is O(log n + k) (see
 * {@link RecipientIndex}). Thread-safe.
 */
public final class MemoryStore implements ScribeStore {
  /** Scribe number n is at index n - 1. */
  private final List<Scribe> scribes = new ArrayList<>();
  private final RecipientIndex index = new RecipientIndex();
  private final Map<String, ClientState> clients = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> objects = new HashMap<>();

  @Override
  public synchronized Scribe append(Scribe scribe) {
    requireNonNull(scribe, "scribe");
    long sequence = scribes.size() + 1L;
    Scribe stored = scribe.withId(Long.toString(sequence));
    scribes.add(stored);
    index.add(sequence, stored.recipients());
    return stored;
  }

  @Override
  public synchronized List<Scribe> since(String clientUid, String cursor, int limit) {
    requireNonNull(clientUid, "clientUid");
    List<Scribe> result = new ArrayList<>(Math.min(limit, 1024));
    RecipientIndex.Walk walk = index.after(clientUid, position(cursor), this::originOf);
    for (long next = walk.next(); next != 0 && result.size() < limit; next = walk.next()) {
      result.add(scribes.get((int) next - 1));
    }
    return result;
  }

  @Override
  public synchronized long countSince(String clientUid, String cursor) {
    requireNonNull(clientUid, "clientUid");
    long count = 0;
    RecipientIndex.Walk walk = index.after(clientUid, position(cursor), this::originOf);
    while (walk.next() != 0) {
      count++;
    }
    return count;
  }

  @Override
  public synchronized Optional<String> lastIdFor(String clientUid) {
    requireNonNull(clientUid, "clientUid");
    long last = index.last(clientUid, this::originOf);
    return last == 0 ? Optional.empty() : Optional.of(Long.toString(last));
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

  private String originOf(long sequence) {
    return scribes.get((int) sequence - 1).origin().orElse(null);
  }

  /** The sequence a cursor stands for; 0 (from the start) when this store never minted it. */
  private long position(String cursor) {
    return StoreCursors.position(cursor, scribes.size());
  }
}
