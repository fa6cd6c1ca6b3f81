package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

/**
 * What a node remembers of one remote client: the id of the last scribe of that client it has
 * applied (its cursor into the client's scribes), and whether the two have ever synced.
 *
 * @param uid the client's uid
 * @param cursor the id of the last scribe applied from that client, or null when none was
 * @param synced whether a sync with the client has completed at least once
 */
public record ClientState(String uid, String cursor, boolean synced) {
  public ClientState {
    requireNonNull(uid, "uid");
  }

  /** A client this node has never heard from. */
  public static ClientState unknown(String uid) {
    return new ClientState(uid, null, false);
  }

  public ClientState withCursor(String newCursor) {
    return new ClientState(uid, newCursor, synced);
  }

  public ClientState withSynced(boolean newSynced) {
    return new ClientState(uid, cursor, newSynced);
  }
}
