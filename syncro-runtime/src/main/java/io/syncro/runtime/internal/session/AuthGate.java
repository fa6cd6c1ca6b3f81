package io.syncro.runtime.internal.session;

import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.internal.Json;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session accepted from an unknown peer lets through before the peer authenticates:
 * only {@code auth}. Anything else that asks for an answer gets 401; too many bad tokens close
 * the session; and the bytes of partial frames such peers hold count against one budget for the
 * whole node, so many connections that never authenticate cannot take its memory between them.
 * Confined to the session's loop.
 */
public final class AuthGate {
  private static final Logger log = LoggerFactory.getLogger(AuthGate.class);

  private final SessionHost host;
  private final Outbox outbox;
  private final Consumer<String> onAuthenticated;
  private final Runnable close;
  private final String peerKey;
  private int failures;
  /** Bytes of a partial frame this session holds against the node's budget. */
  private int held;

  /**
   * @param onAuthenticated called with the peer's uid once a token is accepted, before the
   *     answer is queued
   * @param close closes the session (too many bad tokens)
   * @param peerKey what the transport says the peer is (its remote address), for the node's
   *     limit on failed attempts across connections; null when it said nothing
   */
  public AuthGate(SessionHost host, Outbox outbox, Consumer<String> onAuthenticated, Runnable close,
      String peerKey) {
    this.host = host;
    this.peerKey = peerKey;
    this.outbox = outbox;
    this.onAuthenticated = onAuthenticated;
    this.close = close;
  }

  /** Handles a message from a peer that has not authenticated. */
  public void handle(InboundMessage message) {
    if (message instanceof InboundMessage.Ignored ignored) {
      log.warn("ignored a message from an unauthenticated peer {}", ignored.why());
      return;
    }
    if (!(message instanceof InboundMessage.Request request)) {
      return; // answers to requests this session never sent
    }
    if (!(request instanceof InboundMessage.Auth auth)) {
      outbox.refuse(ErrorCode.UNAUTHENTICATED, request.id(), "authenticate first");
      return;
    }
    Authentication result = auth.token() == null
        ? new Authentication.Refused() : host.authenticate(auth.token(), peerKey);
    if (result instanceof Authentication.Throttled throttled) {
      // Not a guess: nothing was checked. Closed, so that a patient peer reconnects later.
      log.warn("refused an authentication from {} unchecked: {}", peerKey, throttled.why());
      outbox.refuse(ErrorCode.TOO_MANY_ATTEMPTS, auth.id(), throttled.why() + "; try again in "
          + Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000) + " s");
      close.run();
      return;
    }
    if (!(result instanceof Authentication.Accepted accepted)) {
      failures++;
      int allowed = host.limits().maxAuthFailures();
      log.warn("authentication failed ({} of {} on this connection{})", failures, allowed,
          peerKey == null ? "" : ", from " + peerKey);
      outbox.refuse(ErrorCode.UNAUTHENTICATED, auth.id(), "authentication failed");
      if (failures >= allowed) {
        close.run();
      }
      return;
    }
    release();
    onAuthenticated.accept(accepted.uid());
    outbox.respond(auth.id(), Json.NODES.objectNode().put("uid", accepted.uid()));
    log.debug("session authenticated as {}", accepted.uid());
  }

  /**
   * Holds {@code bytes} of a partial frame against the node's budget (the new total for this
   * session, not an increment).
   *
   * @return false when the budget is spent; this session's share is then given back
   */
  public boolean hold(int bytes) {
    if (bytes == held) {
      return true;
    }
    if (!host.holdUnauthenticatedBytes(bytes - held)) {
      release();
      return false;
    }
    held = bytes;
    return true;
  }

  /** Gives this session's share of the budget back: it authenticated or closed. */
  public void release() {
    host.holdUnauthenticatedBytes(-held);
    held = 0;
  }
}
