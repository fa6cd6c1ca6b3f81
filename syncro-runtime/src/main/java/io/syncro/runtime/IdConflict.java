package io.syncro.runtime;

import java.util.Optional;

/**
 * A create refused because its id was taken by a record its sender may not see, as
 * {@link SyncedRepository#onIdConflict} listeners see it, on both sides:
 *
 * <ul>
 *   <li>on the node that refused it (a server), {@code ours} is the record that holds the id and
 *       {@code theirs} the record the peer's create would have made;
 *   <li>on the node whose create was refused (a client), {@code ours} is its own record, which
 *       it keeps, and {@code theirs} is empty: it may not see the record that holds the id.
 * </ul>
 *
 * <p>Nothing was changed for anyone: the client's record stays as it is, on the client only;
 * its later changes are kept there and not sent. To have it synced, the client gives it a new
 * id ({@link SyncedRepository#rekey}: a copy saved under an id nobody can guess, a
 * {@code UUID}, and the old id forgotten there). Should the peer later send the client anything
 * of its own record under that id (share it with the client, say), the client's listeners are
 * told once more ({@code theirs} the peer's record, when it came whole), and what the client
 * still holds under the id then gives way to the peer's record: two records cannot both keep
 * one id on one node.
 *
 * @param peer the other node: the client whose create was refused, or the node that refused it
 * @param id the id both records claim
 * @param ours this node's record under the id, a copy; empty when it has none now
 * @param theirs the other record, when this node may see it: the create it refused, or the
 *     record the peer now shares; empty otherwise
 * @param refusedHere whether this node is the one that refused the create
 * @param <T> the synced class
 * @param <ID> its id's type
 */
public record IdConflict<T, ID>(String peer, ID id, Optional<T> ours, Optional<T> theirs,
    boolean refusedHere) {}
