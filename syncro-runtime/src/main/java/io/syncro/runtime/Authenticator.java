package io.syncro.runtime;

import java.util.Optional;

/**
 * Checks the token a peer presents in an {@code auth} message and names the client it stands
 * for. Register one with {@link Syncro.Builder#authenticator}, and take connections with
 * {@link Syncro#accept}. Called on the thread that receives the peer's data.
 */
@FunctionalInterface
public interface Authenticator {

  /** The uid of the client the token belongs to; empty when the token is not valid. */
  Optional<String> authenticate(String token);
}
