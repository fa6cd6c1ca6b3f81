package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the stores that keep their index in memory share ({@link MemoryStore}, {@link FileStore}):
 * scribes numbered 1, 2, 3, ... with their recipients and origins indexed here, clients and
 * objects in maps. Subclasses store the scribes themselves and say how to read one back; they
 * call the {@code remember} and {@code forget} methods once a change is stored. Every method
 * holds the store's monitor.
 */
abstract class IndexedStore implements ScribeStore {
  private final RecipientIndex index = new RecipientIndex();
  private final List<String> origins = new ArrayList<>();
  private final Map<String, ClientState> clients = new LinkedHashMap<>();
  /** Objects by class, then by id, in id order: a snapshot pages through them by id. */
  private final Map<String, NavigableMap<String, String>> objects = new HashMap<>();

  /** Scribe number {@code sequence}, as stored; called with the monitor held. */
  protected abstract Scribe scribeAt(long sequence);

  // ---- what subclasses call once a change is stored ----

  /** Indexes the next scribe; returns its sequence. */
  protected final long rememberScribe(Recipients recipients, String origin) {
    origins.add(origin);
    long sequence = origins.size();
    index.add(sequence, recipients);
    return sequence;
  }

  protected final void rememberClient(ClientState state) {
    clients.put(state.uid(), state);
  }

  protected final void rememberObject(String klass, String id, String json) {
    objects.computeIfAbsent(klass, k -> new TreeMap<>()).put(id, json);
  }

  protected final void forgetObject(String klass, String id) {
    Map<String, String> ofKlass = objects.get(klass);
    if (ofKlass != null) {
      ofKlass.remove(id);
    }
  }

  // ---- reading ----

  @Override
  public synchronized List<Scribe> since(String clientUid, String cursor, int limit) {
    requireNonNull(clientUid, "clientUid");
    List<Scribe> result = new ArrayList<>(Math.min(limit, 1024));
    RecipientIndex.Walk walk = index.after(clientUid, position(cursor), this::originOf);
    for (long next = walk.next(); next != 0 && result.size() < limit; next = walk.next()) {
      result.add(scribeAt(next));
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
    return origins.size();
  }

  @Override
  public synchronized List<Scribe> range(long afterSequence, long throughSequence) {
    long through = Math.min(throughSequence, origins.size());
    List<Scribe> result = new ArrayList<>();
    for (long sequence = Math.max(afterSequence, 0) + 1; sequence <= through; sequence++) {
      result.add(scribeAt(sequence));
    }
    return result;
  }

  @Override
  public synchronized ClientState client(String uid) {
    requireNonNull(uid, "uid");
    return clients.getOrDefault(uid, ClientState.unknown(uid));
  }

  /** The state stored for a client, or null; for subclasses that skip rewriting the same. */
  protected final synchronized ClientState storedClient(String uid) {
    return clients.get(uid);
  }

  @Override
  public synchronized List<ClientState> clients() {
    return List.copyOf(clients.values());
  }

  @Override
  public synchronized Optional<String> object(String klass, String id) {
    return Optional.ofNullable(objects.getOrDefault(klass, EMPTY).get(id));
  }

  @Override
  public synchronized List<String> objects(String klass) {
    return List.copyOf(objects.getOrDefault(klass, EMPTY).values());
  }

  /** By id: {@code position} is the id of the last object of the page before. */
  @Override
  public synchronized ObjectPage objectPage(String klass, String position, int limit) {
    NavigableMap<String, String> ofKlass = objects.getOrDefault(klass, EMPTY);
    NavigableMap<String, String> histories =
        objects.getOrDefault(ObjectChange.HISTORY_PREFIX + klass, EMPTY);
    Map<String, String> after = position == null ? ofKlass : ofKlass.tailMap(position, false);
    // Not sized from after.size(): a tail map counts its entries one by one.
    List<ObjectPage.Entry> page = new ArrayList<>(Math.min(limit, 1024));
    for (Map.Entry<String, String> object : after.entrySet()) {
      if (page.size() == limit) {
        return new ObjectPage(page, page.get(page.size() - 1).id());
      }
      page.add(new ObjectPage.Entry(object.getKey(), object.getValue(),
          histories.get(object.getKey())));
    }
    return new ObjectPage(page, null);
  }

  @Override
  public synchronized long objectCount(String klass) {
    return objects.getOrDefault(klass, EMPTY).size();
  }

  private static final NavigableMap<String, String> EMPTY = Collections.emptyNavigableMap();

  /**
   * Records are the objects of classes whose names do not start with {@code ~} (the node's own:
   * merge histories, its clock); a tombstone is a history whose record is not stored.
   */
  @Override
  public synchronized StoreUsage usage() {
    long records = 0;
    long tombstones = 0;
    for (Map.Entry<String, NavigableMap<String, String>> klass : objects.entrySet()) {
      String name = klass.getKey();
      if (!name.startsWith("~")) {
        records += klass.getValue().size();
      } else if (name.startsWith(ObjectChange.HISTORY_PREFIX)) {
        NavigableMap<String, String> ofRecords =
            objects.getOrDefault(name.substring(ObjectChange.HISTORY_PREFIX.length()), EMPTY);
        for (String id : klass.getValue().keySet()) {
          if (!ofRecords.containsKey(id)) {
            tombstones++;
          }
        }
      }
    }
    return new StoreUsage(origins.size(), records, tombstones, bytesKept());
  }

  /** What the store takes, in bytes; -1 when it cannot tell. Called with the monitor held. */
  protected abstract long bytesKept();

  private String originOf(long sequence) {
    return origins.get((int) sequence - 1);
  }

  /**
   * The sequence a cursor stands for: 0 (from the start) for null, and for anything this store
   * never minted, as the protocol asks.
   */
  private long position(String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      long sequence = Long.parseLong(cursor);
      return sequence >= 1 && sequence <= origins.size() ? sequence : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
