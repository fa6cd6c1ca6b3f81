package io.syncro.runtime.store;

import io.syncro.runtime.Scribe;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Where a node keeps its scribes and what it knows of each remote client. One contract, several
 * stores: {@link MemoryStore} for tests and throwaway nodes; durable ones for real use.
 *
 * <p>Scribe ids are minted by the store, in the order scribes are appended: each is the decimal
 * form of a positive {@code long} greater than every id before it. Peers treat them as opaque
 * cursors; the node uses their order to keep live pushes and catch-ups from crossing. "Since a cursor" must cost O(log n + k) for k scribes returned, never a scan
 * of everything stored. Implementations are thread-safe, and fail with
 * {@link io.syncro.runtime.StorageException} when their storage does, never leaving a record
 * half-written.
 *
 * <p>A store also keeps the application's objects, as JSON by class and id, for the
 * repositories a node keeps ({@link io.syncro.runtime.StoredRepository}).
 */
public interface ScribeStore extends AutoCloseable {

  /**
   * Stores a scribe under the next id and returns it with that id. The scribe is durable, as far
   * as the store promises durability, when this returns.
   */
  Scribe append(Scribe scribe);

  /**
   * Stores a scribe under the next id together with everything the change carries, in one
   * operation: the object's new JSON or its removal, the record's merge history
   * ({@link ObjectChange#history()}, under {@link ObjectChange#historyKlass()}), and the state of
   * the client it came from ({@link ObjectChange#client()}). After a crash or a failure all are
   * stored, or none. This is how a node saves and applies, so its log, its objects, their stamps
   * and its cursors never disagree.
   *
   * @return the scribe with its id
   * @throws io.syncro.runtime.ConcurrentChangeException when the change expects a history
   *     ({@link ObjectChange#expected()}) that the store no longer holds; nothing is stored
   */
  Scribe append(Scribe scribe, ObjectChange change);

  /**
   * Runs {@code writes}, a run of appends the calling thread makes one after another (a node
   * applies each page of a catch-up so), and lets the store write them together. Inside it an
   * append may return before it is durable; all of them are, as far as the store promises
   * durability, when this returns. Reads, and other threads' writes, see them as soon as they
   * are appended. A crash before this returns may lose some of them, the newest first, never a
   * part of one: the node applying a page only moves its cursor in the same appends, so the peer
   * sends what was lost again.
   *
   * <p>The default writes each append as it comes.
   */
  default <T> T batch(Supplier<T> writes) {
    return writes.get();
  }

  /**
   * The scribes addressed to a client (by uid or to everyone) recorded after the cursor, oldest
   * first, leaving out those that came from that client.
   *
   * @param cursor the id of the last scribe the client has; null, or an id this store never
   *     minted, means from the start (a full resync is safe: replay is idempotent)
   * @param limit the most scribes to return
   */
  List<Scribe> since(String clientUid, String cursor, int limit);

  /** How many scribes {@link #since} would return with no limit. */
  long countSince(String clientUid, String cursor);

  /** The id of the last scribe {@link #since} would return from the start, if any. */
  Optional<String> lastIdFor(String clientUid);

  /** The sequence (the id as a number) of the newest scribe stored, by any node; 0 when none. */
  long lastSequence();

  /**
   * The sequence of the oldest scribe still kept: 1 until a {@link #trim} drops any, and
   * {@code lastSequence() + 1} when it dropped them all. A client whose cursor is below
   * {@code firstSequence() - 1} (or who has none, once anything was dropped) has missed scribes
   * that are gone, and catches up from a snapshot of the records instead.
   */
  default long firstSequence() {
    return 1;
  }

  /**
   * Drops the scribes the retention no longer keeps, oldest first, and the tombstones of the
   * records they destroyed; never a scribe from {@code keepFrom} on, which a session may still be
   * sending. Records, their stamps and the clients' states are kept whole. A store that keeps
   * its log in a file rewrites it here, in the calling thread, without holding up writes but for
   * a moment at the end, and so that a crash at any point leaves either log whole.
   *
   * <p>The default keeps everything, for stores that cannot drop part of their history.
   *
   * @param keepFrom the oldest sequence still needed; {@code Long.MAX_VALUE} when none is
   * @param now the time the retention's age counts back from
   */
  default TrimResult trim(Retention retention, long keepFrom, Instant now) {
    return new TrimResult(firstSequence(), 0, 0);
  }

  /**
   * The scribes whose sequence is after {@code afterSequence} and at most
   * {@code throughSequence}, whoever they are addressed to, oldest first.
   */
  List<Scribe> range(long afterSequence, long throughSequence);

  /**
   * Whether other nodes append to this store too (a fleet sharing one Redis). A node on a shared
   * store delivers their scribes to its own sessions, in order, as {@link #onAppendedElsewhere}
   * announces them or as it finds them when it looks.
   */
  default boolean isShared() {
    return false;
  }

  /**
   * Registers what to call, with its sequence, when another node appends a scribe. Announcements
   * may be lost or late; a node repairs that from {@link #lastSequence()} and {@link #range}.
   */
  default void onAppendedElsewhere(LongConsumer listener) {}

  /** What the store knows of a remote client; {@link ClientState#unknown} when nothing. */
  ClientState client(String uid);

  /** Stores what is known of a remote client, replacing what was. */
  void saveClient(ClientState state);

  /** Every remote client the store knows of. */
  List<ClientState> clients();

  /** Stores an object's JSON under its class's wire name and its id, replacing any. */
  void putObject(String klass, String id, String json);

  /** The JSON of an object, if stored. */
  Optional<String> object(String klass, String id);

  /**
   * An object's JSON and its record's merge history (kept under
   * {@link ObjectChange#historyKlass()}), read together: a node reads both before every change
   * it makes or applies, so a store across a network answers both in one round trip.
   *
   * <p>A store other nodes write to (a fleet's) reads the history first, then the object, or
   * both at once: every change of the object changes its history, so an object at least as new
   * as its history makes a change worked out from it fail the history check when it is stale
   * ({@link ObjectChange#ifHistoryStill}), never overwrite a newer object.
   */
  default StoredRecord objectWithHistory(String klass, String id) {
    String history = object(ObjectChange.HISTORY_PREFIX + klass, id).orElse(null);
    return new StoredRecord(object(klass, id).orElse(null), history);
  }

  /**
   * A page of a class's objects with their histories, for a snapshot: about {@code limit} of
   * them, starting where {@code position} says (null: at the start). Paging through every page
   * returns every object stored for the whole walk at least once; one added, changed or removed
   * during it may be returned as it was, as it is, or not at all, which a snapshot makes good by
   * sending the scribes recorded since it began.
   *
   * @param position null, or the {@link ObjectPage#next()} of the page before
   */
  ObjectPage objectPage(String klass, String position, int limit);

  /** How many objects of a class are stored. */
  default long objectCount(String klass) {
    return objects(klass).size();
  }

  /**
   * How much this store keeps: scribes, records, tombstones and bytes. Walks what it counts, so
   * it is for an operator's report now and then, not for every change.
   */
  StoreUsage usage();

  /** Removes an object; nothing happens when there is none. */
  void removeObject(String klass, String id);

  /**
   * The JSON of every object of a class: by id in the stores that keep their objects in memory
   * ({@link MemoryStore}, {@link FileStore}), in no particular order in Redis.
   */
  List<String> objects(String klass);

  /** Releases what the store holds open. Stores passed in by the application stay theirs. */
  @Override
  void close();
}
