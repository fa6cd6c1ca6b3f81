package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.internal.RateLimit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in the peer's scribes: the rate limit on pushes, applying each (through the node), the
 * cursor that follows what was applied, and the answer a push gets for each outcome. Confined
 * to the session's loop.
 */
public final class ScribeIntake {
  private static final Logger log = LoggerFactory.getLogger(ScribeIntake.class);

  private final SessionHost host;
  private final Outbox outbox;
  private final RateLimit rateLimit;
  private final Resync resync;
  private final Supplier<String> peer;
  private final BooleanSupplier peerSpeaksOriginal;

  /**
   * @param peerSpeaksOriginal whether the peer is an original one, which exits on any
   *     {@code error} it receives: it is answered {@code true} for a scribe refused or skipped
   */
  public ScribeIntake(SessionHost host, Outbox outbox, RateLimit rateLimit, Resync resync,
      Supplier<String> peer, BooleanSupplier peerSpeaksOriginal) {
    this.host = host;
    this.outbox = outbox;
    this.rateLimit = rateLimit;
    this.resync = resync;
    this.peer = peer;
    this.peerSpeaksOriginal = peerSpeaksOriginal;
  }

  /**
   * A scribe the peer pushes. It is never part of a catch-up this node asked for (those come as
   * pages in sync responses, and an original peer sends its whole answer in one), so it neither
   * counts towards one nor ends one.
   */
  public void pushed(InboundMessage.AddScribe message) {
    long id = message.id();
    boolean original = peerSpeaksOriginal.getAsBoolean();
    if (!rateLimit.tryTake()) {
      // Not applied, so the cursor stays before it: the sync this node makes fetches it again.
      resync.freezeCursor();
      if (original) {
        spare(id, "too many scribes");
      } else {
        outbox.refuse(ErrorCode.OTHER, id, "too many scribes; sync again later");
      }
      return;
    }
    ApplyOutcome outcome = apply(message.scribe());
    if (original && outcome != ApplyOutcome.APPLIED) {
      // Settled either way: a refused or skipped scribe was logged, and what puts the peer
      // back in step (a removal, this node's state) is on its way; one that failed is fetched
      // again by this node's next sync, its cursor stopped before it. An error would kill it.
      if (outcome == ApplyOutcome.FAILED) {
        resync.freezeCursor();
      }
      spare(id, outcome.name().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    switch (outcome) {
      case APPLIED -> outbox.respond(id, BooleanNode.TRUE);
      case NOT_SYNCED -> outbox.refuse(ErrorCode.FORBIDDEN, id, null);
      case REFUSED -> outbox.refuse(ErrorCode.FORBIDDEN, id, "not allowed");
      case INVALID -> outbox.refuse(ErrorCode.OTHER, id, "scribe refused: it does not fit its class");
      case FAILED -> {
        resync.freezeCursor();
        outbox.refuse(ErrorCode.OTHER, id, "scribe not applied; sync again later");
      }
      default -> throw new AssertionError(outcome);
    }
  }

  /** Answers an original peer's scribe that was not applied as if it had been, and counts it. */
  private void spare(long id, String outcome) {
    log.info("answered {}'s scribe (request {}) true though it was not applied ({}): an original"
        + " peer exits on an error", peer.get(), id, outcome);
    host.sparedOriginalPeer();
    outbox.respond(id, BooleanNode.TRUE);
  }

  /**
   * Replays one scribe from the peer and, in the same store operation, moves the peer's cursor
   * past it, unless the cursor is stopped. A refused scribe changes nothing but the cursor,
   * which moves past it once what puts the peer back in step is stored (sent again, it would
   * meet the record in another state). A skipped one changes nothing stored: the next one
   * applied moves the cursor past both. The scribe's origin is this session's client, whatever
   * the message says.
   */
  public ApplyOutcome apply(JsonNode scribe) {
    return host.apply(scribe, peer.get(), !resync.cursorFrozen());
  }
}
