package io.syncro.runtime.internal.session;

import java.time.Duration;

/** What became of a peer's {@code auth}: accepted, refused, or refused unchecked for now. */
public sealed interface Authentication {

  /** The token stands for {@code uid}. */
  record Accepted(String uid) implements Authentication {}

  /** The token stands for no one. */
  record Refused() implements Authentication {}

  /**
   * Not checked: too many attempts failed lately (from this peer, or on the node); the peer may
   * try again after {@code retryAfter}.
   */
  record Throttled(Duration retryAfter, String why) implements Authentication {}
}
