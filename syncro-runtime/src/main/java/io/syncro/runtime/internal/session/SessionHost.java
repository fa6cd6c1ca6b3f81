package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.RpcHandler;
import io.syncro.runtime.Scribe;
import java.util.List;
import java.util.Optional;

/**
 * What a session needs of its node, and nothing more: each of the session's parts takes this
 * (or less), so none of them reaches into the node. The node implements it once for all its
 * sessions.
 */
public interface SessionHost {

  /** The limits and delays the node was built with. */
  SessionLimits limits();

  // ---- authentication ----

  /** The uid a token stands for; empty when it stands for none. */
  Optional<String> authenticate(String token);

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

  /** The id of the last scribe of {@code clientUid} applied here; null for none. */
  String cursorOf(String clientUid);

  /** Records that this node has caught up with {@code clientUid} once. */
  void markSynced(String clientUid);

  // ---- answering the peer ----

  /** How many scribes for {@code clientUid} are stored after {@code cursor} (null: all). */
  long countSince(String clientUid, String cursor);

  /** Up to {@code limit} scribes for {@code clientUid} after {@code cursor}, oldest first. */
  List<Scribe> since(String clientUid, String cursor, int limit);

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
