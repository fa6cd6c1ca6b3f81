package io.syncro.runtime;

import io.syncro.ScribeType;
import java.util.Optional;

/**
 * A change a peer made that this node has just applied, as {@link SyncedRepository#onPeerChange}
 * listeners see it: for a screen to show it, a notification to go out.
 *
 * @param peer the uid of the client it came from (a server relays others' changes as its own)
 * @param type what it did to the record
 * @param id the record's id
 * @param record the record as it is now, a copy; empty after a destroy
 * @param <T> the synced class
 * @param <ID> its id's type
 */
public record PeerChange<T, ID>(String peer, ScribeType type, ID id, Optional<T> record) {}
