package io.syncro.runtime.internal.session;

/** How a session's messages leave: framed bytes on a stream, or whole messages. */
public interface Outbound {
  /** Sends one message; may wait while the transport is busy; throws when it is broken. */
  void send(String json);

  /** Closes the transport. */
  void close();
}
