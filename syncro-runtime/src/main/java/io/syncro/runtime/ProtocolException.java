package io.syncro.runtime;

/**
 * A peer broke the protocol: a frame longer than this node accepts, a message of the wrong shape.
 * The session that received it answered with an {@code error} or closed.
 */
public class ProtocolException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
