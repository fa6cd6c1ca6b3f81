package io.syncro.runtime.internal.session;

import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.internal.Json;
import java.util.Optional;
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
  private int failures;
  /** Bytes of a partial frame this session holds against the node's budget. */
  private int held;

  /**
   * @param onAuthenticated called with the peer's uid once a token is accepted, before the
   *     answer is queued
   * @param close closes the session (too many bad tokens)
   */
  public AuthGate(SessionHost host, Outbox outbox, Consumer<String> onAuthenticated, Runnable close) {
    this.host = host;
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
    Optional<String> uid = auth.token() == null ? Optional.empty() : host.authenticate(auth.token());
    if (uid.isEmpty() || uid.get().isEmpty()) {
      failures++;
      int allowed = host.limits().maxAuthFailures();
      log.warn("authentication failed ({} of {})", failures, allowed);
      outbox.refuse(ErrorCode.UNAUTHENTICATED, auth.id(), "authentication failed");
      if (failures >= allowed) {
        close.run();
      }
      return;
    }
    release();
    onAuthenticated.accept(uid.get());
    outbox.respond(auth.id(), Json.NODES.objectNode().put("uid", uid.get()));
    log.debug("session authenticated as {}", uid.get());
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
