package io.syncro.runtime;

/**
 * A message transport (WebSocket, a message queue) as a {@link Session} sees it: one JSON message
 * per transport message, with no length prefix. The same threading rules as {@link Connection}.
 */
@FunctionalInterface
public interface MessageConnection {

  /** Sends one JSON message to the peer. */
  void send(String json);

  /** Closes the transport; see {@link Connection#close()}. */
  default void close() {}
}
