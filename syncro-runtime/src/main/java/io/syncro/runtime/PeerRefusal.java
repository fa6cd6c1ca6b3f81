package io.syncro.runtime;

import java.util.Optional;

/**
 * A change this node made that a peer it trusts (its server) refused, as
 * {@link SyncedRepository#onRefusedByPeer} listeners see it. By the time it is told, the record
 * here is back to the peer's state of it.
 *
 * @param peer the uid of the node that refused it
 * @param id the record's id
 * @param record the record as it is here now, a copy; empty when it is gone
 * @param <T> the synced class
 * @param <ID> its id's type
 */
public record PeerRefusal<T, ID>(String peer, ID id, Optional<T> record) {}
