package io.syncro.netty;

import org.slf4j.Logger;

/**
 * Calls into an application's listener. One that throws is logged and changes nothing here: a
 * client that stopped retrying, or a server that never synced a client, because a listener
 * failed would be far worse than a missed notification.
 */
final class ListenerCalls {
  private ListenerCalls() {}

  static void tell(Logger log, String whose, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("a {} listener failed", whose, e);
    }
  }
}
