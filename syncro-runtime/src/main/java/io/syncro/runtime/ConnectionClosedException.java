package io.syncro.runtime;

/** The session's connection closed before a request was answered, or a send failed. */
public class ConnectionClosedException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public ConnectionClosedException(String message) {
    super(message);
  }

  public ConnectionClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
