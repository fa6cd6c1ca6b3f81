package io.syncro.runtime.internal.session;

import io.syncro.runtime.ConnectionClosedException;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import io.syncro.runtime.internal.ScribeJson;
import io.syncro.runtime.internal.ScribeSequence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node sends the peer: the answer to its {@code sync}, and then every newer scribe as
 * it is recorded (live pushes). Confined to the session's loop.
 *
 * <p>The one rule: the peer never receives a scribe before an older one, which would move its
 * cursor past scribes it never got. So pushes start only when the catch-up has reached the
 * newest scribe ("live"), and only scribes newer than the last sent are pushed. Because pushes
 * run on the same loop as the catch-up, a scribe stored while a page is read is pushed after
 * that page is sent (if the page did not hold it), never before and never lost.
 *
 * <p>A Java peer pages ({@code "page":true}): each answer holds one frame's worth and the cursor
 * of the next page, and the peer asks for each in turn. An original peer gets the first frame in
 * the answer and the rest as {@code add_scribe} requests, a window of them at a time. A live
 * peer of either kind with a window of pushes unanswered is streamed to the same way, from the
 * last scribe pushed, until it is live again: a burst never leaves it more requests to answer
 * than the window.
 *
 * <p>(About 540 lines: the three ways of answering a sync, pages, a snapshot and a stream to an
 * original peer, and live pushes, which fall back to that stream, share the one rule above and
 * the session's read position in the log, which would have to stand on their own before they
 * could be split.)
 */
public final class OutboundCatchUp {
  private static final Logger log = LoggerFactory.getLogger(OutboundCatchUp.class);

  private final SessionHost host;
  private final Outbox outbox;
  private final Requests requests;
  private final Supplier<String> peer;
  private final BooleanSupplier peerSpeaksOriginal;
  /** Closes the session: a peer that leaves a push unanswered past the request timeout. */
  private final Runnable cutOff;
  /** Whether {@link #cutOff} ran: the other requests in flight time out too, and say nothing. */
  private boolean silent;

  /** Whether new scribes are pushed as they are recorded: after the peer's sync is answered. */
  private boolean live;
  /** The sequence of the newest scribe of this node the peer has been sent. */
  private long lastSentSequence;
  /** Live pushes the peer has not answered yet. */
  private int unansweredPushes;
  /** Where the next page of the paged catch-up under way starts, or null. */
  private String pagedNext;
  /** How many scribes remained after the page handed out last, as counted at the start. */
  private long pagedRemaining;
  /** The stream under way (to an original peer, or to a peer pushes outran), or null. */
  private Stream stream;
  /** The snapshot under way, or null. */
  private SnapshotReader snapshot;
  /**
   * The oldest sequence this session may still read from the store; {@code Long.MAX_VALUE} when
   * none. Written on the loop, read by the node when it trims its history, which keeps it.
   */
  private volatile long needsFrom = Long.MAX_VALUE;

  /**
   * @param peerSpeaksOriginal whether the peer is an original one, which is never sent what
   *     only Java peers understand (a notice, {@link Scribe#notice()})
   * @param cutOff closes the session, when the peer leaves a push unanswered until it times out
   */
  public OutboundCatchUp(SessionHost host, Outbox outbox, Requests requests, Supplier<String> peer,
      BooleanSupplier peerSpeaksOriginal, Runnable cutOff) {
    this.host = host;
    this.outbox = outbox;
    this.requests = requests;
    this.peer = peer;
    this.peerSpeaksOriginal = peerSpeaksOriginal;
    this.cutOff = cutOff;
  }

  /** Answers the peer's sync; a store failure is answered with an error, to retry later. */
  public void answer(InboundMessage.Sync sync) {
    try {
      if (sync.paged() && sync.from() != null && sync.from().startsWith(Messages.SNAPSHOT_PAGE)) {
        answerWithSnapshotPage(sync.id(), sync.from());
      } else if (sync.paged()) {
        pin(sync.from());
        host.acknowledged(peer.get(), sync.from());
        if (sync.snapshot() && snapshotAnswers() || tooOld(sync.from()) && snapshotPossible()) {
          beginSnapshot(sync.id(), sync.from());
        } else {
          answerWithPage(sync.id(), sync.from());
        }
      } else {
        beginStream(sync.id(), sync.from());
      }
    } catch (StorageException e) {
      log.warn("cannot answer the sync of {}: {}", peer.get(), e.getMessage());
      if (sync.paged()) {
        outbox.refuse(ErrorCode.OTHER, sync.id(), "this node's store failed; sync again later");
      } else {
        // An original peer exits on an error: nothing new for now; its cursor stays where it
        // was, so its next sync asks for the same again.
        host.sparedOriginalPeer();
        outbox.respond(sync.id(), Json.NODES.arrayNode());
      }
    }
  }

  /** A scribe the node stored, in id order: pushed if the peer is live and has not had it. */
  public void push(Scribe stored, String scribeJson) {
    long sequence = ScribeSequence.of(stored.id());
    if (!live || sequence <= lastSentSequence) {
      return;
    }
    if (unansweredPushes >= host.limits().catchUpWindow()) {
      fallBehind();
      return;
    }
    lastSentSequence = sequence;
    if (stored.isNotice() && peerSpeaksOriginal.getAsBoolean()) {
      return; // see forOriginalPeer
    }
    unansweredPushes++;
    requests.send(id -> Messages.addScribe(scribeJson, id), (response, failure) -> {
      unansweredPushes--;
      // An answered push says nothing of what the peer holds: its cursor may be stopped before
      // an older scribe it could not apply, and only the cursor it syncs from says.
      if (failure instanceof java.util.concurrent.TimeoutException) {
        // Pushes stop at a window, so a peer that stopped reading never piles up enough to be
        // closed for it: its silence closes it. It reconnects, and catches up from its cursor.
        closeSilent("a push");
        return;
      }
      if (failure != null && !(failure instanceof ConnectionClosedException)) {
        log.debug("push of scribe {} to {} failed: {}", stored.id(), peer.get(), failure.toString());
      }
      if (stream != null) {
        pumpOrStop();
      }
    });
  }

  /**
   * The peer answers more slowly than this node records scribes for it (a burst: another peer's
   * catch-up relayed, a bulk save): instead of piling up requests until the peer has
   * {@code maxPendingRequests} unanswered and its session is closed, this session stops pushing
   * and streams the scribes after the last one pushed from the log, as it streams a catch-up: at
   * most a window unanswered, pushes in flight counted in. Live again once the stream reaches the
   * newest scribe.
   */
  private void fallBehind() {
    live = false;
    String from = Long.toString(lastSentSequence);
    pin(from);
    stream = new Stream(new ArrayDeque<>(), from, null);
    log.debug("{} is {} pushes behind; streaming the rest from the log", peer.get(),
        unansweredPushes);
    pumpOrStop();
  }

  /** The session closed: nothing more is sent. */
  public void closed() {
    live = false;
    stream = null;
    snapshot = null;
    needsFrom = Long.MAX_VALUE;
  }

  /**
   * The oldest sequence of the node's log this session may still read: a trim of the history
   * keeps it and everything after. {@code Long.MAX_VALUE} when the session reads none (live, or
   * not syncing). Safe from any thread.
   */
  public long oldestNeeded() {
    return needsFrom;
  }

  /** Keeps the scribes after a cursor from being trimmed while this session reads them. */
  private void pin(String cursor) {
    needsFrom = ScribeSequence.of(cursor) + 1;
  }

  /**
   * Whether the node no longer keeps every scribe after a cursor: its retention dropped some
   * that a peer at that cursor never got. Checked again after each read of the log, since a
   * trim may have dropped them while it read.
   */
  private boolean tooOld(String cursor) {
    long first = host.firstSequence();
    return first > 1 && ScribeSequence.of(cursor) < first - 1;
  }

  /** Whether the node can answer with a snapshot at all; said once when it cannot. */
  private boolean snapshotPossible() {
    if (host.snapshotClasses(peer.get()).isEmpty()) {
      log.warn("{} is behind the history this node keeps, but a synced class keeps its records"
          + " outside the node's store: it gets what is left of the log", peer.get());
      return false;
    }
    return true;
  }

  // ---- a snapshot, for a Java peer syncing from nothing or from behind the history kept ----

  /**
   * Whether a peer that asks for a snapshot gets one: only when this node has applied nothing
   * from it. Then the peer holds nothing this node knows of, and nothing in this node's log up to
   * the snapshot is about the peer's own records (a destroy of one, or the removal that answers a
   * refused change of its own), which a snapshot, holding only the records as they are, would
   * leave out. A peer this node has heard from gets the log.
   */
  private boolean snapshotAnswers() {
    return host.cursorOf(peer.get()) == null && !host.snapshotClasses(peer.get()).isEmpty();
  }

  /**
   * Starts a snapshot: the records the peer may see, whole, page by page, then the log from the
   * newest scribe up to which every change is stored now ({@link SessionHost#lastSequence}). A
   * record changed meanwhile may be sent as it was or as it is; the scribes after that point are
   * sent after the snapshot, and merging them again changes nothing, so the peer ends where the
   * node is.
   */
  private void beginSnapshot(long requestId, String cursor) {
    stream = null;
    List<String> classes = host.snapshotClasses(peer.get());
    long logPosition = host.lastSequence();
    needsFrom = logPosition + 1;
    // A peer that may hold records this node no longer has for it (it had a cursor, or sent
    // records this node took) replaces them with the snapshot's.
    String applied = host.cursorOf(peer.get());
    Messages.SnapshotReset reset = cursor != null || applied != null
        ? new Messages.SnapshotReset(applied, classes) : null;
    long records = 0;
    for (String klass : classes) {
      records += host.recordCount(klass);
    }
    String logCursor = logPosition == 0 ? null : Long.toString(logPosition);
    long total = records + host.countSince(peer.get(), logCursor);
    snapshot = new SnapshotReader(host, peer.get(), classes, logPosition, total, reset);
    log.debug("answering the sync of {} from {} with a snapshot of {} classes{}, then the log"
        + " after {}", peer.get(), cursor, classes.size(), reset == null ? "" : " replacing its own",
        logPosition);
    answerWithSnapshotPage(requestId, null);
  }

  private void answerWithSnapshotPage(long requestId, String page) {
    SnapshotReader current = snapshot;
    if (current == null || page != null && !page.equals(current.pageName())) {
      // Pages are named within one session: a peer that reconnects starts its snapshot again.
      outbox.refuse(ErrorCode.OTHER, requestId, "no such snapshot page; sync again from the start");
      return;
    }
    int pageSize = host.limits().syncPageSize();
    current.fill(pageSize + 1);
    // The first page of a snapshot that replaces the peer's records says so.
    Messages.SnapshotReset reset = current.pages == 0 ? current.reset : null;
    int envelope = Messages.SNAPSHOT_RESPONSE_ENVELOPE + (reset == null ? 0
        : Messages.syncResponse(0, List.of(), 0, null, null, reset).length()
            - Messages.syncResponse(0, List.of(), 0, null, null).length());
    List<String> fitted = fit(current.pending, envelope, pageSize);
    if (fitted.isEmpty() && !current.pending.isEmpty()) {
      // One record too large for a frame of its own, with its stamps: the log has it as it was
      // recorded, so the snapshot ends here, with no cursor, and the log follows from its start.
      log.warn("a {} record is too large for a snapshot page; {} gets the whole log",
          current.pending.peekFirst().klass(), peer.get());
      // Nothing is replaced then: the peer merges the log with what it holds.
      snapshot = null;
      outbox.add(Messages.syncResponse(requestId, List.of(), current.remaining, "", ""));
      return;
    }
    for (int i = 0; i < fitted.size(); i++) {
      current.pending.removeFirst();
    }
    current.remaining = Math.max(current.remaining - fitted.size(), 0);
    if (current.done()) {
      // The last page: the peer's cursor is where the snapshot holds, and the log goes on from
      // there ("" for a log that was empty: no cursor, and the log from its start).
      snapshot = null;
      String logCursor = current.logPosition == 0 ? "" : Long.toString(current.logPosition);
      outbox.add(Messages.syncResponse(
          requestId, fitted, current.remaining, logCursor, logCursor, reset));
      return;
    }
    current.pages++;
    outbox.add(Messages.syncResponse(requestId, fitted,
        Math.max(current.remaining, fitted.size() + 1L), current.pageName(), null, reset));
  }

  // ---- paged, for Java peers ----

  private void answerWithPage(long requestId, String cursor) {
    stream = null; // a paging peer needs no stream
    // Counted once per catch-up: walking the backlog for every page made a large catch-up
    // quadratic. A page that follows the one handed out last knows what remains from it; what
    // is recorded meanwhile shows up in the pages, not in the count.
    boolean following = cursor != null && cursor.equals(pagedNext);
    long total = following ? pagedRemaining : host.countSince(peer.get(), cursor);
    int pageSize = host.limits().syncPageSize();
    // One more than a page, to know without counting whether this page is the last.
    List<Scribe> read = host.since(peer.get(), cursor, pageSize + 1);
    if (tooOld(cursor) && snapshotPossible()) {
      // A trim dropped scribes after the cursor while they were read.
      beginSnapshot(requestId, cursor);
      return;
    }
    List<Scribe> page = read.subList(0, Math.min(read.size(), pageSize));
    List<String> fitted = fit(page);
    boolean last = fitted.size() == read.size();
    String next = fitted.isEmpty() ? cursor : page.get(fitted.size() - 1).id();
    total = Math.max(total, fitted.size() + (last ? 0 : 1L));
    outbox.add(Messages.syncResponse(requestId, fitted, total, last ? null : next));
    pagedNext = last ? null : next;
    pagedRemaining = total - fitted.size();
    live = last;
    needsFrom = last ? Long.MAX_VALUE : ScribeSequence.of(next) + 1;
    if (last) {
      lastSentSequence = ScribeSequence.of(next);
      log.debug("session of {} is live", peer.get());
    }
  }

  /** The JSON of the first scribes of a page that fit in one sync response. */
  private List<String> fit(List<Scribe> page) {
    return fit(page, Messages.SYNC_RESPONSE_ENVELOPE, page.size());
  }

  /** As {@link #fit(List)}: no more than {@code most}, in a response of that envelope. */
  private List<String> fit(Iterable<Scribe> page, int envelope, int most) {
    List<String> fitted = new ArrayList<>();
    int size = envelope;
    for (Scribe scribe : page) {
      if (fitted.size() == most) {
        break;
      }
      String json = wireJson(scribe);
      if (size + json.length() + 1 > Messages.MAX_FRAME_BYTES) {
        break;
      }
      fitted.add(json);
      size += json.length() + 1;
    }
    return fitted;
  }

  /**
   * What the peer is sent of a stored scribe: its view for this peer (the record whole, or a
   * removal, after a change of who sees it; see {@link Scribe#forClient}), without stamps when
   * the node is told not to send them.
   */
  private String wireJson(Scribe scribe) {
    Scribe view = scribe.forClient(peer.get()).orElse(scribe);
    return ScribeJson.wire(view, host.limits().sendStamps());
  }

  // ---- streamed, for original peers ----

  private void beginStream(long requestId, String cursor) {
    live = false;
    pin(cursor);
    host.acknowledged(peer.get(), cursor);
    long total = host.countSince(peer.get(), cursor);
    List<Scribe> read = host.since(peer.get(), cursor, host.limits().syncPageSize());
    if (tooOld(cursor) && snapshotPossible()) {
      beginStreamedSnapshot(requestId, cursor);
      return;
    }
    List<Scribe> page = forOriginalPeer(read);
    List<String> fitted = fit(page);
    outbox.add(Messages.syncResponse(requestId, fitted, total, null));
    String fetched = read.isEmpty() ? cursor : read.get(read.size() - 1).id();
    Deque<Scribe> rest = new ArrayDeque<>(page.subList(fitted.size(), page.size()));
    stream = new Stream(rest, fetched, null);
    log.debug("answering sync of {} from {}: {} scribes", peer.get(), cursor, total);
    pump();
  }

  /**
   * An original peer behind the history this node keeps gets the records it may see as creates,
   * then the log after them. Only the last create carries an id, the cursor at which the records
   * hold: a peer cut off before it keeps its old cursor and gets the records again, which
   * changes nothing. (What it holds and should not is not removed: the original has no removals.)
   */
  private void beginStreamedSnapshot(long requestId, String cursor) {
    List<String> classes = host.snapshotClasses(peer.get());
    long logPosition = host.lastSequence();
    needsFrom = logPosition + 1;
    long records = 0;
    for (String klass : classes) {
      records += host.recordCount(klass);
    }
    String logCursor = logPosition == 0 ? null : Long.toString(logPosition);
    long total = records + host.countSince(peer.get(), logCursor);
    outbox.add(Messages.syncResponse(requestId, List.of(), total, null));
    stream = new Stream(new ArrayDeque<>(), logCursor,
        new SnapshotReader(host, peer.get(), classes, logPosition, total, null));
    log.debug("answering sync of {} from {}, behind the history kept: {} classes as creates,"
        + " then the log after {}", peer.get(), cursor, classes.size(), logPosition);
    pump();
  }

  /** Sends the next scribes of the stream, up to the window; goes live at the end. */
  private void pump() {
    while (stream != null
        && stream.inFlight + unansweredPushes < host.limits().catchUpWindow()) {
      Stream current = stream;
      if (current.queue.isEmpty() && !refill(current)) {
        return;
      }
      Scribe next = current.queue.poll();
      current.inFlight++;
      requests.send(id -> Messages.addScribe(wireJson(next), id),
          (response, failure) -> answered(current, failure));
    }
  }

  /** Fetches the next page; false when there is none and the session went live. */
  private boolean refill(Stream current) {
    SnapshotReader records = current.snapshot;
    if (records != null) {
      records.fill(host.limits().syncPageSize());
      for (Scribe record : records.pending) {
        // Creates only: an original peer has nothing to merge a tombstone's destroy with.
        if (record.type() == io.syncro.ScribeType.CREATE) {
          current.queue.add(record);
        }
      }
      records.pending.clear();
      if (records.done()) {
        current.snapshot = null;
        Scribe last = current.queue.pollLast();
        if (last != null) {
          current.queue.add(current.fetched == null ? last : last.withId(current.fetched));
        }
      }
      if (!current.queue.isEmpty()) {
        return true;
      }
    }
    List<Scribe> page = host.since(peer.get(), current.fetched, host.limits().syncPageSize());
    if (page.isEmpty()) {
      // A scribe stored before this read is sent by the stream, one stored after it by its
      // push, which runs on this loop after this.
      live = true;
      lastSentSequence = ScribeSequence.of(current.fetched);
      stream = null;
      needsFrom = Long.MAX_VALUE;
      log.debug("session of {} is live", peer.get());
      return false;
    }
    current.queue.addAll(peerSpeaksOriginal.getAsBoolean() ? forOriginalPeer(page) : page);
    current.fetched = page.get(page.size() - 1).id();
    needsFrom = ScribeSequence.of(current.fetched) + 1;
    return !current.queue.isEmpty() || refill(current);
  }

  /**
   * What an original peer is sent of a page of the log: all but notices, which it would take
   * for updates (and exit on, for a record it no longer holds). Its cursor then
   * stays before a notice that ends a catch-up, which is sent again, and left out again, at its
   * next sync: harmless.
   */
  private static List<Scribe> forOriginalPeer(List<Scribe> page) {
    for (Scribe scribe : page) {
      if (scribe.isNotice()) {
        return page.stream().filter(kept -> !kept.isNotice()).toList();
      }
    }
    return page;
  }

  private void answered(Stream answered, Throwable failure) {
    if (stream != answered) {
      return;
    }
    if (failure instanceof java.util.concurrent.TimeoutException) {
      // Silent for the request timeout: closed, as a push left unanswered is; the peer resumes
      // from its cursor when it connects again.
      stream = null;
      closeSilent("a catch-up scribe");
      return;
    }
    if (failure != null && !(failure instanceof RemoteErrorException)) {
      // Disconnected: the peer resumes from its cursor on its next sync.
      log.debug("catch-up of {} stopped: {}", peer.get(), failure.toString());
      stream = null;
      return;
    }
    answered.inFlight--;
    pumpOrStop();
  }

  /** Closes the session of a peer that left {@code what} unanswered until it timed out; once. */
  private void closeSilent(String what) {
    live = false;
    if (silent) {
      return;
    }
    silent = true;
    log.warn("{} left {} unanswered past the request timeout; closing its session", peer.get(),
        what);
    cutOff.run();
  }

  /** Pumps the stream; a store that fails stops it (the peer's next sync resumes). */
  private void pumpOrStop() {
    try {
      pump();
    } catch (StorageException e) {
      log.warn("catch-up of {} stopped, this node's store failed: {}", peer.get(), e.getMessage());
      stream = null;
    }
  }

  /**
   * The scribes this node streams to an original peer after answering its sync, or to a peer
   * that fell behind its pushes.
   */
  private static final class Stream {
    final Deque<Scribe> queue;
    /** The id of the last scribe fetched from the store. */
    String fetched;
    int inFlight;
    /** The records still to send as creates before the log, or null. */
    SnapshotReader snapshot;

    Stream(Deque<Scribe> queue, String fetched, SnapshotReader snapshot) {
      this.queue = queue;
      this.fetched = fetched;
      this.snapshot = snapshot;
    }
  }
}
