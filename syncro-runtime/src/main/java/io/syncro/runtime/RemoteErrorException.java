package io.syncro.runtime;

/**
 * The peer answered a request with an {@code error} message. The codes are the original's:
 * {@value #NOT_SYNCED} for a class it does not sync or does not allow, {@value #NO_SUCH_CLASS} for
 * an rpc to a class it does not expose, {@value #NO_SUCH_METHOD} for an rpc to a method it lacks,
 * {@value #OTHER} for anything else; and, from Java peers, {@value #UNAUTHENTICATED} for a
 * request before a successful {@code auth}, or a token refused.
 */
public class RemoteErrorException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public static final int OTHER = 0;
  public static final int NOT_SYNCED = 403;
  public static final int NO_SUCH_CLASS = 404;
  public static final int NO_SUCH_METHOD = 405;
  public static final int UNAUTHENTICATED = 401;

  private final int code;

  public RemoteErrorException(int code, String message) {
    super("peer answered error " + code + (message == null ? "" : ": " + message));
    this.code = code;
  }

  /** The error code the peer sent. */
  public int code() {
    return code;
  }
}
