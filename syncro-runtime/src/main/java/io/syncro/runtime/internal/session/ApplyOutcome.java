package io.syncro.runtime.internal.session;

/** How applying one scribe of the peer's went. */
public enum ApplyOutcome {
  /** Applied and stored. */
  APPLIED,
  /** Of a class this node does not sync: skipped, as the protocol says. */
  NOT_SYNCED,
  /** Not allowed for this client: skipped, answered with 403. */
  REFUSED,
  /** Not a scribe, or not one its class can take: skipped. */
  INVALID,
  /** This node failed (its store, its own code): not applied; the cursor stays, to retry. */
  FAILED
}
