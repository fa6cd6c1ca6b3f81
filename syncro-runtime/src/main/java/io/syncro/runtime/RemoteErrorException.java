package io.syncro.runtime;

/**
 * The peer answered a request with an {@code error} message: {@link #errorCode()} says which,
 * {@link #code()} gives the number as sent, a code this node does not know included.
 */
public class RemoteErrorException extends SyncroException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public RemoteErrorException(int code, String message) {
    super("peer answered error " + code + (message == null ? "" : ": " + message));
    this.code = code;
  }

  /** The error code the peer sent, as a number. */
  public int code() {
    return code;
  }

  /** The error code the peer sent; {@link ErrorCode#OTHER} for a number this node does not know. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }
}
