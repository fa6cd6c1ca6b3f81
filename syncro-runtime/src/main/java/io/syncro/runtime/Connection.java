package io.syncro.runtime;

/**
 * A stream transport (TCP, a pipe) as a {@link Session} sees it: somewhere to send bytes. Syncro
 * frames every message itself (a 2-byte length, then JSON); the transport only moves the bytes,
 * in order.
 *
 * <p>{@link #send} may be called from several threads, never at once for one connection. It must
 * not call back into a session of the same node on the calling thread: hand the bytes to the
 * transport and return.
 */
@FunctionalInterface
public interface Connection {

  /** Sends bytes to the peer; they hold whole frames. */
  void send(byte[] bytes);

  /**
   * Closes the transport. Called when the session closes itself, after the peer broke the
   * protocol; the application still calls {@link Session#disconnect()} when its transport closes.
   */
  default void close() {}
}
