package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
 *
 * <p>A trim drops the oldest scribes: sequence {@code s} is then at index
 * {@code s - dropped - 1} of what is kept ({@link #indexOf}). The index also keeps when each
 * scribe was appended, for retention by age, and when each record was destroyed, so that its
 * tombstone goes with the scribe that destroyed it.
 */
abstract class IndexedStore implements ScribeStore {
  private final RecipientIndex index = new RecipientIndex();
  /** How many scribes a trim dropped: the first kept is {@code dropped + 1}. */
  private long dropped;
  /** The origin of each scribe kept, oldest first (null: this node's own). */
  private final List<String> origins = new ArrayList<>();
  /** When each scribe kept was appended, in epoch milliseconds, at the same index. */
  private long[] appendedAt = new long[1024];
  /**
   * Tombstones: for each destroyed record whose history is kept (by class, then id), the last
   * sequence stored when it was destroyed. A trim that drops the scribes after it drops the
   * tombstone too.
   */
  private final Map<String, Map<String, Long>> removedAt = new HashMap<>();
  private Instant lastTrimmed;
  private final Map<String, ClientState> clients = new LinkedHashMap<>();
  /**
   * Objects by class, then by id, in id order (a snapshot pages through them by id): each its
   * JSON text, or, in a store that leaves the text on disk, where to read it
   * ({@link #textOf}).
   */
  private final Map<String, NavigableMap<String, Object>> objects = new HashMap<>();

  /**
   * The JSON text of an object as kept: the text itself, or what a subclass remembered of where
   * to read it ({@link #rememberObject(String, String, Object)}); called with the monitor held.
   */
  protected String textOf(Object kept) {
    return (String) kept;
  }

  /** Scribe number {@code sequence}, as stored; called with the monitor held. */
  protected abstract Scribe scribeAt(long sequence);

  /**
   * Forgets the {@code count} oldest scribes kept, which a trim drops; called with the monitor
   * held, before the index forgets them.
   */
  protected abstract void forgetOldestScribes(int count);

  /** Where a kept scribe is among those kept: 0 for the oldest. */
  protected final int indexOf(long sequence) {
    return (int) (sequence - dropped - 1);
  }

  // ---- what subclasses call once a change is stored ----

  /** Indexes the next scribe, appended at a time in epoch milliseconds; returns its sequence. */
  protected final long rememberScribe(Recipients recipients, String origin, long appendedAtMillis) {
    if (origins.size() == appendedAt.length) {
      appendedAt = Arrays.copyOf(appendedAt, appendedAt.length * 2);
    }
    appendedAt[origins.size()] = appendedAtMillis;
    origins.add(origin);
    long sequence = dropped + origins.size();
    index.add(sequence, recipients);
    return sequence;
  }

  /** For a store whose log starts after a trim: the first scribe remembered gets this + 1. */
  protected final void startAfter(long droppedScribes, Instant trimmed) {
    if (!origins.isEmpty()) {
      throw new IllegalStateException("a log's start is known before its first scribe");
    }
    dropped = droppedScribes;
    lastTrimmed = trimmed;
  }

  /** When the scribe of a kept sequence was appended, in epoch milliseconds. */
  protected final long appendedAt(long sequence) {
    return appendedAt[indexOf(sequence)];
  }

  /**
   * Remembers a tombstone read back from a log: a destroyed record, and the last sequence stored
   * when it was destroyed.
   */
  protected final void rememberTombstone(String klass, String id, long lastSequenceThen) {
    removedAt.computeIfAbsent(klass, k -> new HashMap<>()).put(id, lastSequenceThen);
  }

  protected final void rememberClient(ClientState state) {
    clients.put(state.uid(), state);
  }

  /** Remembers an object's JSON text, or where to read it: see {@link #textOf}. */
  protected final void rememberObject(String klass, String id, Object kept) {
    objects.computeIfAbsent(klass, k -> new TreeMap<>()).put(id, kept);
    if (!klass.startsWith("~")) {
      Map<String, Long> tombstones = removedAt.get(klass);
      if (tombstones != null) {
        tombstones.remove(id);
      }
    }
  }

  protected final void forgetObject(String klass, String id) {
    Map<String, Object> ofKlass = objects.get(klass);
    if (ofKlass != null && ofKlass.remove(id) != null && !klass.startsWith("~")) {
      rememberTombstone(klass, id, lastSequence());
    }
  }

  // ---- trimming ----

  /** The sequence of the oldest scribe the retention keeps now; see {@link Retention}. */
  protected final long firstToKeep(Retention retention, long keepFrom, Instant now) {
    return retention.firstToKeep(firstSequence(), lastSequence(), keepFrom, now, this::appendedAt);
  }

  /**
   * Whether a trim to {@code floor} drops a tombstone destroyed when {@code lastSequenceThen} was
   * the last sequence stored: when the scribe that destroyed it goes.
   */
  protected static boolean tombstoneGoes(long lastSequenceThen, long floor) {
    return lastSequenceThen + 1 < floor;
  }

  /**
   * Drops every scribe before {@code floor} from the index (and, through
   * {@link #forgetOldestScribes}, from the store) and the tombstones that go with them.
   */
  protected final TrimResult dropBefore(long floor, Instant now) {
    long scribes = Math.max(0, floor - firstSequence());
    if (scribes == 0) {
      // No tombstone goes either: one is destroyed after the first scribe kept at the time, so
      // only a floor that moves can pass it.
      return new TrimResult(firstSequence(), 0, 0);
    }
    int count = (int) scribes;
    forgetOldestScribes(count);
    origins.subList(0, count).clear();
    System.arraycopy(appendedAt, count, appendedAt, 0, origins.size());
    index.dropBefore(floor);
    dropped += count;
    long tombstones = 0;
    for (Map.Entry<String, Map<String, Long>> ofKlass : removedAt.entrySet()) {
      String klass = ofKlass.getKey();
      var entries = ofKlass.getValue().entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<String, Long> tombstone = entries.next();
        if (tombstoneGoes(tombstone.getValue(), floor)) {
          entries.remove();
          forgetObject(ObjectChange.HISTORY_PREFIX + klass, tombstone.getKey());
          tombstones++;
        }
      }
    }
    lastTrimmed = now;
    return new TrimResult(firstSequence(), scribes, tombstones);
  }

  @Override
  public synchronized long firstSequence() {
    return dropped + 1;
  }

  /** Notes that a trim rewrote the store now, whether or not it dropped anything. */
  protected final void markTrimmed(Instant now) {
    lastTrimmed = now;
  }

  /** When a trim last dropped anything, or rewrote the store; null when none did. */
  protected final Instant lastTrimmed() {
    return lastTrimmed;
  }

  /**
   * A copy of every object as kept (see {@link #textOf}), by class then id, for a store to write
   * out whole; monitor held.
   */
  protected final Map<String, NavigableMap<String, Object>> copyOfObjects() {
    Map<String, NavigableMap<String, Object>> copy = new HashMap<>();
    objects.forEach((klass, ofKlass) -> copy.put(klass, new TreeMap<>(ofKlass)));
    return copy;
  }

  /**
   * Every object as kept, by class then id, for a store that moved what it keeps (a compaction)
   * to update in place; monitor held. Not for adding or removing objects.
   */
  protected final Map<String, NavigableMap<String, Object>> keptObjects() {
    return objects;
  }

  /** Whether an object is stored, without reading it. */
  protected final synchronized boolean holdsObject(String klass, String id) {
    return objects.getOrDefault(klass, EMPTY).containsKey(id);
  }

  /** A copy of the tombstones, by class then id: see {@link #removedAt}; monitor held. */
  protected final Map<String, Map<String, Long>> copyOfTombstones() {
    Map<String, Map<String, Long>> copy = new HashMap<>();
    removedAt.forEach((klass, ofKlass) -> copy.put(klass, new HashMap<>(ofKlass)));
    return copy;
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
    return dropped + origins.size();
  }

  @Override
  public synchronized List<Scribe> range(long afterSequence, long throughSequence) {
    long through = Math.min(throughSequence, lastSequence());
    List<Scribe> result = new ArrayList<>();
    for (long sequence = Math.max(afterSequence, dropped) + 1; sequence <= through; sequence++) {
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
    Object kept = objects.getOrDefault(klass, EMPTY).get(id);
    return kept == null ? Optional.empty() : Optional.of(textOf(kept));
  }

  @Override
  public synchronized List<String> objects(String klass) {
    Collection<Object> kept = objects.getOrDefault(klass, EMPTY).values();
    List<String> texts = new ArrayList<>(kept.size());
    for (Object object : kept) {
      texts.add(textOf(object));
    }
    return texts;
  }

  /** By id: {@code position} is the id of the last object of the page before. */
  @Override
  public synchronized ObjectPage objectPage(String klass, String position, int limit) {
    NavigableMap<String, Object> ofKlass = objects.getOrDefault(klass, EMPTY);
    NavigableMap<String, Object> histories =
        objects.getOrDefault(ObjectChange.HISTORY_PREFIX + klass, EMPTY);
    Map<String, Object> after = position == null ? ofKlass : ofKlass.tailMap(position, false);
    // Not sized from after.size(): a tail map counts its entries one by one.
    List<ObjectPage.Entry> page = new ArrayList<>(Math.min(limit, 1024));
    for (Map.Entry<String, Object> object : after.entrySet()) {
      if (page.size() == limit) {
        return new ObjectPage(page, page.get(page.size() - 1).id());
      }
      Object history = histories.get(object.getKey());
      page.add(new ObjectPage.Entry(object.getKey(), textOf(object.getValue()),
          history == null ? null : textOf(history)));
    }
    return new ObjectPage(page, null);
  }

  @Override
  public synchronized long objectCount(String klass) {
    return objects.getOrDefault(klass, EMPTY).size();
  }

  private static final NavigableMap<String, Object> EMPTY = Collections.emptyNavigableMap();

  /**
   * Records are the objects of classes whose names do not start with {@code ~} (the node's own:
   * merge histories, its clock); a tombstone is a history whose record is not stored.
   */
  @Override
  public synchronized StoreUsage usage() {
    long records = 0;
    long tombstones = 0;
    for (Map.Entry<String, NavigableMap<String, Object>> klass : objects.entrySet()) {
      String name = klass.getKey();
      if (!name.startsWith("~")) {
        records += klass.getValue().size();
      } else if (name.startsWith(ObjectChange.HISTORY_PREFIX)) {
        NavigableMap<String, Object> ofRecords =
            objects.getOrDefault(name.substring(ObjectChange.HISTORY_PREFIX.length()), EMPTY);
        for (String id : klass.getValue().keySet()) {
          if (!ofRecords.containsKey(id)) {
            tombstones++;
          }
        }
      }
    }
    return new StoreUsage(origins.size(), records, tombstones, bytesKept(), firstSequence(),
        lastTrimmed);
  }

  /** What the store takes, in bytes; -1 when it cannot tell. Called with the monitor held. */
  protected abstract long bytesKept();

  private String originOf(long sequence) {
    return origins.get(indexOf(sequence));
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
      return sequence >= 1 && sequence <= lastSequence() ? sequence : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
