package io.syncro.runtime.store;

import io.syncro.runtime.Scribe;
import java.util.List;
import java.util.Optional;

/**
 * Where a node keeps its scribes and what it knows of each remote client. One contract, several
 * stores: {@link MemoryStore} for tests and throwaway nodes; durable ones for real use.
 *
 * <p>Scribe ids are minted by the store, in the order scribes are appended: each is the decimal
 * form of a positive {@code long} greater than every id before it. Peers treat them as opaque
 * cursors; the node uses their order to keep live pushes and catch-ups from crossing. "Since a cursor" must cost O(log n + k) for k scribes returned, never a scan
 * of everything stored. Implementations are thread-safe.
 */
public interface ScribeStore extends AutoCloseable {

  /**
   * Stores a scribe under the next id and returns it with that id. The scribe is durable, as far
   * as the store promises durability, when this returns.
   */
  Scribe append(Scribe scribe);

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

  /** What the store knows of a remote client; {@link ClientState#unknown} when nothing. */
  ClientState client(String uid);

  /** Stores what is known of a remote client, replacing what was. */
  void saveClient(ClientState state);

  /** Every remote client the store knows of. */
  List<ClientState> clients();

  /** Releases what the store holds open. Stores passed in by the application stay theirs. */
  @Override
  void close();
}
