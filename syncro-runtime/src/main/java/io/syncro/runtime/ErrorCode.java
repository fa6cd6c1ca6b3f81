package io.syncro.runtime;

/** The codes of the protocol's {@code error} message, with the numbers they have on the wire. */
public enum ErrorCode {
  /** Anything else; also what a code this node does not know is read as. */
  OTHER(0),
  /** From Java peers: a request before a successful {@code auth}, or a token refused. */
  UNAUTHENTICATED(401),
  /**
   * From Java peers: an {@code auth} refused without its token being checked, because too many
   * attempts failed lately from the peer's address or on the node; the message says when to
   * try again. Unlike 401, trying again later can succeed.
   */
  TOO_MANY_ATTEMPTS(429),
  /** A scribe of a class the peer does not sync, or one it does not allow from this client. */
  FORBIDDEN(403),
  /** An rpc to a class the peer does not expose. */
  NO_SUCH_CLASS(404),
  /** An rpc to a method the class lacks. */
  NO_SUCH_METHOD(405);

  private final int wireCode;

  ErrorCode(int wireCode) {
    this.wireCode = wireCode;
  }

  /** The number sent in the message's {@code code}. */
  public int wireCode() {
    return wireCode;
  }

  /** The code a number stands for; {@link #OTHER} for a number this node does not know. */
  public static ErrorCode of(int wireCode) {
    for (ErrorCode code : values()) {
      if (code.wireCode == wireCode) {
        return code;
      }
    }
    return OTHER;
  }
}
