package io.syncro.runtime;

/**
 * A scribe, usually from a peer, that does not fit its model: malformed JSON, a missing id, a
 * field of the wrong type. Nothing was changed when this is thrown.
 */
public class InvalidScribeException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public InvalidScribeException(String message) {
    super(message);
  }

  public InvalidScribeException(String message, Throwable cause) {
    super(message, cause);
  }
}
