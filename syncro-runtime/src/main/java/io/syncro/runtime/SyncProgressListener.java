package io.syncro.runtime;

/**
 * Follows a catch-up: how many of the scribes a peer had for this node are applied so far. Called
 * on the thread that receives the session's data, so keep it quick.
 */
@FunctionalInterface
public interface SyncProgressListener {

  /**
   * Another scribe of the catch-up was applied (or skipped as not for this node).
   *
   * @param session the session syncing
   * @param done how many scribes of this catch-up are done
   * @param total how many are done plus how many the peer said remain, as of its latest page:
   *     it grows when the peer records more during the catch-up; {@code done == total} on the
   *     last call of a catch-up
   */
  void progress(Session session, long done, long total);
}
