package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.ProtocolException;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.SyncroException;
import io.syncro.runtime.internal.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The catch-up this node asks the peer for and applies: a {@code sync} from this node's cursor,
 * then page after page until the page without {@code next}, with progress reports. Confined to
 * the session's loop; its futures complete there.
 */
public final class InboundCatchUp {

  /** Where progress goes: scribes applied so far, and the total as the peer counts it. */
  public interface Progress {
    void report(long applied, long total);
  }

  private final SessionHost host;
  private final Requests requests;
  private final ScribeIntake intake;
  private final Resync resync;
  private final Progress progress;
  private final Supplier<String> peer;
  /** The catch-up under way, or null. */
  private Run current;

  public InboundCatchUp(SessionHost host, Requests requests, ScribeIntake intake, Resync resync,
      Progress progress, Supplier<String> peer) {
    this.host = host;
    this.requests = requests;
    this.intake = intake;
    this.resync = resync;
    this.progress = progress;
    this.peer = peer;
  }

  /**
   * Asks the peer for every scribe since this node's cursor and applies them in order.
   *
   * @return completes, on the loop, when the last page is applied; fails when the catch-up
   *     cannot go on (it is then retried later, unless the connection closed)
   */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    String cursor;
    try {
      cursor = host.cursorOf(peer.get());
    } catch (StorageException e) {
      resync.catchUpFailed(e);
      done.completeExceptionally(e);
      return done;
    }
    // From nothing, a trusted peer (a server) is asked for a snapshot of its records: its log
    // may hold many changes of each.
    boolean snapshot = cursor == null && host.trusts(peer.get());
    requests.send(id -> Messages.sync(cursor, true, snapshot, id), (response, failure) -> {
      if (failure != null) {
        resync.catchUpFailed(failure);
        done.completeExceptionally(failure);
      } else {
        resync.syncAnswered();
        begin(response, done);
      }
    });
    return done;
  }

  /** The session closed: the catch-up under way fails (the next connection's sync resumes it). */
  public void closed(Throwable reason) {
    if (current != null) {
      current.done.completeExceptionally(reason);
      current = null;
    }
  }

  private void begin(JsonNode response, CompletableFuture<Void> done) {
    JsonNode result = response.get("result");
    if (result == null || !result.isArray()) {
      done.completeExceptionally(
          new ProtocolException("the sync response of " + peer.get() + " has no result array"));
      return;
    }
    Run replaced = current;
    if (replaced != null) {
      // Two syncs crossed (the application's and a resync): the newer one, from an older or
      // equal cursor, covers the other, which ends when it does.
      done.whenComplete((caughtUp, failure) -> {
        if (failure == null) {
          replaced.done.complete(null);
        } else {
          replaced.done.completeExceptionally(failure);
        }
      });
    }
    current = new Run(done);
    applyPage(current, response);
  }

  /**
   * Applies one page, whole: every scribe in it is applied (or skipped for good) before anything
   * else, or, when one cannot be applied for now, the cursor stays before it and the catch-up
   * fails (a resync picks it up). A paging peer names the cursor of the next page ({@code next})
   * until the last; the catch-up ends with the page that has none, never at a count announced
   * earlier, since the peer's backlog grows while it is sent.
   *
   * <p>The pages of a snapshot are asked for ahead, two in flight, the requests written at
   * once: the next page (if not asked for already) and the one after it, before this one is
   * applied, so that the peer reads and sends them while this node applies (otherwise each side
   * waits for the other, page after page). Their answers wait on this session's loop until this
   * page is done; the one after is dropped if the next page ends the snapshot (the peer refuses
   * a page past the last), and both if this page fails (the catch-up then ends here, and the
   * resync asks again from the cursor). A cursor of the peer's log is asked for only once the
   * page before it is applied: asking for the scribes after it also tells the peer that this
   * node holds those before, and a peer that trusts this node then lets its own go.
   */
  private void applyPage(Run run, JsonNode response) {
    JsonNode result = response.path("result");
    run.pageArrived(result.size(), response.get("total"));
    JsonNode cursor = response.get("cursor");
    boolean snapshotEnds = cursor != null && cursor.isTextual();
    JsonNode next = response.get("next");
    boolean more = next != null && next.isTextual() && (result.size() > 0 || snapshotEnds);
    boolean askedEarly = more && next.textValue().startsWith(Messages.SNAPSHOT_PAGE);
    if (more) {
      run.expected = next.textValue();
    }
    if (askedEarly) {
      if (!next.textValue().equals(run.askedAhead)) {
        requestPage(run, next.textValue(), true);
      }
      run.askedAhead = Messages.snapshotPageAfter(next.textValue());
      if (run.askedAhead != null) {
        requestPage(run, run.askedAhead, true);
      }
    }
    JsonNode reset = response.get("reset");
    if (reset != null && reset.isObject() && host.trusts(peer.get())) {
      // Only this node's server may take its records away; from anyone else the snapshot's
      // records are taken as they come, and nothing is removed.
      try {
        replace(reset);
      } catch (StorageException e) {
        resync.freezeCursor();
        fail(run, new SyncroException("the records " + peer.get() + " replaces could not be"
            + " removed", e));
        return;
      }
    }
    boolean applied;
    try {
      applied = host.applyingPage(() -> applyScribes(run, result));
    } catch (StorageException e) {
      resync.freezeCursor();
      fail(run, new SyncroException("a page from " + peer.get() + " could not be stored", e));
      return;
    }
    if (!applied) {
      resync.freezeCursor();
      fail(run, new SyncroException("a scribe from " + peer.get() + " could not be applied"));
      return;
    }
    if (snapshotEnds && !cursor.textValue().isEmpty() && !resync.cursorFrozen()) {
      // The snapshot's records are all applied: they hold every scribe up to its cursor.
      try {
        host.moveCursor(peer.get(), cursor.textValue());
      } catch (StorageException e) {
        resync.freezeCursor();
        fail(run, new SyncroException("the cursor of " + peer.get() + " could not be stored", e));
        return;
      }
    }
    if (!more) {
      run.finish();
    } else if (!askedEarly) {
      requestPage(run, next.textValue(), false);
    }
  }

  /**
   * Applies a page's scribes in order, up to the first that fails (which the next sync asks for
   * again).
   *
   * @return whether every scribe was applied, or skipped for good
   */
  private boolean applyScribes(Run run, JsonNode scribes) {
    for (JsonNode scribe : scribes) {
      if (intake.apply(scribe) == ApplyOutcome.FAILED) {
        return false;
      }
      run.advance();
    }
    return true;
  }

  /**
   * A snapshot that replaces this node's records ({@code {"applied":A,"classes":[..]}}): before
   * its first page, this node removes its records of those classes, as a removal from the peer
   * would (its own edits stay known, out of sight), except those its own scribes after
   * {@code A}, which the peer has yet to get, created.
   * The snapshot then brings back each record as the peer holds it: what the node missed while
   * it was away (a destroy, a record no longer shared with it, the answer to a change of its own
   * the peer refused) is no longer in the peer's log, so merging with the node's copies would
   * keep them as they were.
   */
  private void replace(JsonNode reset) {
    List<String> classes = new ArrayList<>();
    reset.path("classes").forEach(klass -> classes.add(klass.asText()));
    JsonNode applied = reset.get("applied");
    host.removeBeforeSnapshot(peer.get(), classes,
        applied == null || !applied.isTextual() ? null : applied.textValue());
  }

  /**
   * Asks for the page after {@code cursor}.
   *
   * @param atOnce whether the request is written now, not once the loop is released
   */
  private void requestPage(Run run, String cursor, boolean atOnce) {
    Requests.Answer onAnswer = (response, failure) -> {
      if (current != run || !cursor.equals(run.expected)) {
        // The catch-up failed, or another replaced it; or this is a snapshot page asked for
        // ahead that does not come (the snapshot ended before it).
        return;
      }
      if (failure != null) {
        current = null;
        resync.catchUpFailed(failure);
        run.done.completeExceptionally(failure);
      } else {
        applyPage(run, response);
      }
    };
    if (atOnce) {
      requests.sendAtOnce(id -> Messages.sync(cursor, true, id), onAnswer);
    } else {
      requests.send(id -> Messages.sync(cursor, true, id), onAnswer);
    }
  }

  private void fail(Run run, SyncroException reason) {
    if (current == run) {
      current = null;
    }
    run.done.completeExceptionally(reason);
  }

  /** One catch-up, page by page, with its progress. */
  private final class Run {
    final CompletableFuture<Void> done;
    long applied;
    /** The scribes applied plus those the peer said remain, as of its latest page. */
    long total;
    /** The page the latest one named as next: the only answer applied. */
    String expected;
    /** The snapshot page asked for ahead of the expected one, or null. */
    String askedAhead;

    Run(CompletableFuture<Void> done) {
      this.done = done;
    }

    /**
     * A page arrived; the peer counts what remains from its start ({@code "total"}), a count
     * that grows when the peer records more meanwhile. An original peer sends none: its one
     * answer is everything.
     */
    void pageArrived(int scribes, JsonNode remaining) {
      long left = remaining != null && remaining.canConvertToLong() ? remaining.longValue() : 0;
      total = applied + Math.max(left, scribes);
    }

    void advance() {
      applied++;
      progress.report(applied, Math.max(total, applied));
    }

    void finish() {
      if (applied == 0 || applied != total) {
        // Nothing to catch up, or the last page had fewer than announced (a peer may count what
        // it then leaves out): say once that it is over.
        progress.report(applied, applied);
      }
      if (current == this) {
        current = null;
      }
      host.markSynced(peer.get());
      done.complete(null);
    }
  }
}
