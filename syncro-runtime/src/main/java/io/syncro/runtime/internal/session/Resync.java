package io.syncro.runtime.internal.session;

import io.syncro.runtime.ConnectionClosedException;
import io.syncro.runtime.internal.Backoff;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a session's cursor from moving past a scribe it could not apply, and syncs again later.
 *
 * <p>A scribe of the peer's that could not be applied for a reason that may pass (this node's
 * store failed, the peer sent too fast) must not be skipped by the cursor, or it would never be
 * asked for again. So the cursor stops ("frozen"): later scribes are still applied, without
 * moving it, and a sync is scheduled, with backoff, to fetch everything from where it stopped.
 * A catch-up that fails while the connection stays open is retried the same way: until one
 * completes the peer does not push (it goes live only at the end of a catch-up), so the session
 * would otherwise hear nothing more. Confined to the session's loop; the timer hops onto it.
 */
public final class Resync {
  private static final Logger log = LoggerFactory.getLogger(Resync.class);

  private final SessionLoop loop;
  private final Scheduler scheduler;
  private final Backoff backoff;
  private final Supplier<CompletableFuture<Void>> sync;
  private final BooleanSupplier open;
  private final Supplier<String> peer;
  private boolean frozen;
  private boolean scheduled;

  /**
   * @param sync starts a catch-up, from the loop; its future completes on the loop
   * @param open whether the session is still open
   */
  public Resync(SessionLoop loop, Scheduler scheduler, Backoff backoff,
      Supplier<CompletableFuture<Void>> sync, BooleanSupplier open, Supplier<String> peer) {
    this.loop = loop;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.sync = sync;
    this.open = open;
    this.peer = peer;
  }

  /** Whether the cursor must stay where it is for now. */
  public boolean cursorFrozen() {
    return frozen;
  }

  /**
   * The answer to a sync arrived: it starts from where the cursor stopped, so it covers whatever
   * was skipped, and the cursor may move again. Not when the sync is sent: a push applied
   * between the request and its answer must not move the cursor past a gap not yet filled.
   */
  public void syncAnswered() {
    frozen = false;
  }

  /** A scribe could not be applied for now: stop the cursor, sync later. */
  public void freezeCursor() {
    frozen = true;
    if (!scheduled) {
      scheduled = true;
      long delay = backoff.nextDelayMillis();
      scheduler.schedule(() -> loop.executeElsewhere(this::run), delay);
    }
  }

  /** A catch-up failed; unless the connection closed (the next one syncs), try again later. */
  public void catchUpFailed(Throwable failure) {
    if (open.getAsBoolean() && !(failure instanceof ConnectionClosedException)) {
      log.warn("catch-up from {} failed, trying again later: {}", peer.get(), failure.toString());
      freezeCursor();
    }
  }

  private void run() {
    scheduled = false;
    if (!open.getAsBoolean()) {
      return;
    }
    sync.get().whenComplete((caughtUp, failure) -> {
      if (failure == null) {
        backoff.reset();
      } else if (open.getAsBoolean()) {
        freezeCursor();
      }
    });
  }
}
