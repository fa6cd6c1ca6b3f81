package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.RpcHandler;
import io.syncro.runtime.Scribe;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * What a session needs of its node, and nothing more: each of the session's parts takes this
 * (or less), so none of them reaches into the node. The node implements it once for all its
 * sessions.
 */
public interface SessionHost {

  /** The limits and delays the node was built with. */
  SessionLimits limits();

  /**
   * Counts a scribe or request of an original peer that was refused, skipped or failed, and was
   * answered as if it had not been (an original peer exits on any {@code error} it receives).
   */
  void sparedOriginalPeer();

  // ---- authentication ----

  /**
   * Checks a token from a peer the transport names {@code peerKey} (its remote address, say;
   * null when it named none), unless too many attempts failed lately, from that peer or on the
   * node, in which case the token is not checked at all.
   */
  Authentication authenticate(String token, String peerKey);

  /**
   * Adds {@code delta} bytes (negative to give back) to what all unauthenticated peers hold in
   * partial frames; false, and nothing added, when that would exceed the node's budget.
   */
  boolean holdUnauthenticatedBytes(int delta);

  // ---- applying what the peer sends ----

  /**
   * Replays one scribe from {@code origin} and stores it, with whatever it changed and, when
   * {@code moveCursor}, the origin's cursor moved past it, as one unit; says how it went. Only an
   * applied scribe moves the cursor. Never throws.
   */
  ApplyOutcome apply(JsonNode scribe, String origin, boolean moveCursor);

  /**
   * Runs {@code page}, which applies a page of a catch-up scribe by scribe, as one batch: the
   * store may write its changes together, and they reach other sessions once written. The
   * default runs it as it is.
   *
   * @throws io.syncro.runtime.StorageException when the store could not write the batch
   */
  default <T> T applyingPage(Supplier<T> page) {
    return page.get();
  }

  /** The id of the last scribe of {@code clientUid} applied here; null for none. */
  String cursorOf(String clientUid);

  /** Records that this node has caught up with {@code clientUid} once. */
  void markSynced(String clientUid);

  // ---- answering the peer ----

  /** How many scribes for {@code clientUid} are stored after {@code cursor} (null: all). */
  long countSince(String clientUid, String cursor);

  /** Up to {@code limit} scribes for {@code clientUid} after {@code cursor}, oldest first. */
  List<Scribe> since(String clientUid, String cursor, int limit);

  // ---- snapshots (see docs/protocol.md, "Snapshots") ----

  /** Whether this node trusts {@code clientUid} (its server): only it is asked for a snapshot. */
  default boolean trusts(String clientUid) {
    return false;
  }

  /**
   * The classes whose records a snapshot for {@code clientUid} holds, in the order it pages
   * through them; empty when this node cannot answer with a snapshot (some synced class keeps
   * its objects outside the node's store), and then the peer gets the log.
   */
  default List<String> snapshotClasses(String clientUid) {
    return List.of();
  }

  /**
   * The sequence of the oldest scribe the node keeps (see {@code ScribeStore#firstSequence}): a
   * peer whose cursor is before it gets a snapshot.
   */
  default long firstSequence() {
    return 1;
  }

  /**
   * Before a snapshot from {@code peer} that replaces what this node holds: removes, as a
   * removal from that peer would, every record of the given classes, unless a scribe this node
   * has for the peer after {@code applied} (the last of them the peer had applied; null: from
   * the start) created it. The snapshot then brings back what the node may see.
   *
   * @return how many records it removed
   */
  default long removeBeforeSnapshot(String peer, List<String> classes, String applied) {
    return 0;
  }

  /**
   * Notes that {@code peer} holds every scribe of this node up to {@code cursor}: it synced from
   * there, its stored cursor. A node keeps what the peer it trusts (its server) has not yet
   * got, whatever its retention says.
   */
  default void acknowledged(String peer, String cursor) {}

  /**
   * The sequence of the newest scribe up to which every change is wholly stored (never one
   * between the scribes of a change still being recorded): a snapshot holds every change up to
   * it.
   */
  default long lastSequence() {
    return 0;
  }

  /** How many records of a class are stored, those a given peer may not see included. */
  default long recordCount(String klass) {
    return 0;
  }

  /**
   * One page of a class's records as {@code clientUid} may see them, each whole (a create with
   * its field stamps), from {@code position} (null: the first page); fewer than the store's page,
   * or none, when the client may not see some.
   */
  default SnapshotPage snapshotPage(String clientUid, String klass, String position, int limit) {
    return new SnapshotPage(List.of(), null);
  }

  /** Records of a snapshot's page, and where the next starts (null: the class is done). */
  record SnapshotPage(List<Scribe> records, String next) {}

  /**
   * Stores {@code cursor} as the last scribe of {@code clientUid} applied here: the cursor a
   * snapshot from that peer ends at, once every record of it is applied.
   */
  default void moveCursor(String clientUid, String cursor) {}

  /** The handler of an exposed method; empty when the class or the method is not exposed. */
  RpcLookup rpc(String klass, String method);

  /** What a lookup of an exposed method found. */
  sealed interface RpcLookup {
    /** The method is exposed. */
    record Found(RpcHandler handler) implements RpcLookup {}

    /** No such class is exposed (404). */
    record NoSuchClass() implements RpcLookup {}

    /** The class is, the method is not (405). */
    record NoSuchMethod() implements RpcLookup {}
  }
}
