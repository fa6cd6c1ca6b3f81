package io.syncro.runtime;

/**
 * A peer sent a change it is not allowed to make: to a record it cannot see, or one its class's
 * {@link ScribeAuthorizer} refused. Nothing was changed; the peer is answered with 403.
 */
public class UnauthorizedScribeException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedScribeException(String message) {
    super(message);
  }
}
