package io.syncro.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of one class's records that a node has seen in a store other nodes share (Redis),
 * most recently seen last, at most {@link #CAPACITY} of them. A save of any other id takes it for
 * a new record and does not read it first: the store writes a create only where there is no
 * record and no history, and refuses it otherwise, and the save is then worked out again from a
 * read. A save of a new record so costs one round trip to the store instead of two; a record
 * this node has not seen lately costs one more, once. Thread-safe.
 */
final class KnownRecords {
  /** Enough for a server's working set; about 8 MB of ids at most. */
  static final int CAPACITY = 100_000;

  private final Map<String, Boolean> ids = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  /** Notes that the store holds a record (or its history) under this key. */
  synchronized void seen(String key) {
    ids.put(key, Boolean.TRUE);
  }

  /** Whether a save of this key may take it for a new record, without reading it. */
  synchronized boolean mayBeNew(String key) {
    return ids.get(key) == null;
  }
}
