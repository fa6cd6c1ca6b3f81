package io.syncro.runtime.internal.session;

import io.syncro.runtime.ConnectionClosedException;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Messages;
import io.syncro.runtime.internal.ScribeJson;
import io.syncro.runtime.internal.ScribeSequence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 * the answer and the rest as {@code add_scribe} requests, a window of them at a time.
 */
public final class OutboundCatchUp {
  private static final Logger log = LoggerFactory.getLogger(OutboundCatchUp.class);

  private final SessionHost host;
  private final Outbox outbox;
  private final Requests requests;
  private final Supplier<String> peer;

  /** Whether new scribes are pushed as they are recorded: after the peer's sync is answered. */
  private boolean live;
  /** The sequence of the newest scribe of this node the peer has been sent. */
  private long lastSentSequence;
  /** Where the next page of the paged catch-up under way starts, or null. */
  private String pagedNext;
  /** How many scribes remained after the page handed out last, as counted at the start. */
  private long pagedRemaining;
  /** The stream to an original peer under way, or null. */
  private Stream stream;

  public OutboundCatchUp(SessionHost host, Outbox outbox, Requests requests, Supplier<String> peer) {
    this.host = host;
    this.outbox = outbox;
    this.requests = requests;
    this.peer = peer;
  }

  /** Answers the peer's sync; a store failure is answered with an error, to retry later. */
  public void answer(InboundMessage.Sync sync) {
    try {
      if (sync.paged()) {
        answerWithPage(sync.id(), sync.from());
      } else {
        beginStream(sync.id(), sync.from());
      }
    } catch (StorageException e) {
      log.warn("cannot answer the sync of {}: {}", peer.get(), e.getMessage());
      outbox.refuse(ErrorCode.OTHER, sync.id(), "this node's store failed; sync again later");
    }
  }

  /** A scribe the node stored, in id order: pushed if the peer is live and has not had it. */
  public void push(Scribe stored, String scribeJson) {
    long sequence = ScribeSequence.of(stored.id());
    if (!live || sequence <= lastSentSequence) {
      return;
    }
    lastSentSequence = sequence;
    requests.send(id -> Messages.addScribe(scribeJson, id), (response, failure) -> {
      if (failure != null && !(failure instanceof ConnectionClosedException)) {
        log.debug("push of scribe {} to {} failed: {}", stored.id(), peer.get(), failure.toString());
      }
    });
  }

  /** The session closed: nothing more is sent. */
  public void closed() {
    live = false;
    stream = null;
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
    List<Scribe> page = read.subList(0, Math.min(read.size(), pageSize));
    List<String> fitted = fit(page);
    boolean last = fitted.size() == read.size();
    String next = fitted.isEmpty() ? cursor : page.get(fitted.size() - 1).id();
    total = Math.max(total, fitted.size() + (last ? 0 : 1L));
    outbox.add(Messages.syncResponse(requestId, fitted, total, last ? null : next));
    pagedNext = last ? null : next;
    pagedRemaining = total - fitted.size();
    live = last;
    if (last) {
      lastSentSequence = ScribeSequence.of(next);
      log.debug("session of {} is live", peer.get());
    }
  }

  /** The JSON of the first scribes of a page that fit in one sync response. */
  private List<String> fit(List<Scribe> page) {
    List<String> fitted = new ArrayList<>();
    int size = Messages.SYNC_RESPONSE_ENVELOPE;
    for (Scribe scribe : page) {
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
    long total = host.countSince(peer.get(), cursor);
    List<Scribe> page = host.since(peer.get(), cursor, host.limits().syncPageSize());
    List<String> fitted = fit(page);
    outbox.add(Messages.syncResponse(requestId, fitted, total, null));
    String fetched = page.isEmpty() ? cursor : page.get(page.size() - 1).id();
    Deque<Scribe> rest = new ArrayDeque<>(page.subList(fitted.size(), page.size()));
    stream = new Stream(rest, fetched);
    log.debug("answering sync of {} from {}: {} scribes", peer.get(), cursor, total);
    pump();
  }

  /** Sends the next scribes of the stream, up to the window; goes live at the end. */
  private void pump() {
    while (stream != null && stream.inFlight < host.limits().catchUpWindow()) {
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
    List<Scribe> page = host.since(peer.get(), current.fetched, host.limits().syncPageSize());
    if (page.isEmpty()) {
      // A scribe stored before this read is sent by the stream, one stored after it by its
      // push, which runs on this loop after this.
      live = true;
      lastSentSequence = ScribeSequence.of(current.fetched);
      stream = null;
      log.debug("session of {} is live", peer.get());
      return false;
    }
    current.queue.addAll(page);
    current.fetched = page.get(page.size() - 1).id();
    return true;
  }

  private void answered(Stream answered, Throwable failure) {
    if (stream != answered) {
      return;
    }
    if (failure != null && !(failure instanceof RemoteErrorException)) {
      // Timed out or disconnected: the peer resumes from its cursor on its next sync.
      log.warn("catch-up of {} stopped: {}", peer.get(), failure.toString());
      stream = null;
      return;
    }
    answered.inFlight--;
    try {
      pump();
    } catch (StorageException e) {
      log.warn("catch-up of {} stopped, this node's store failed: {}", peer.get(), e.getMessage());
      stream = null;
    }
  }

  /** The scribes this node streams to an original peer after answering its sync. */
  private static final class Stream {
    final Deque<Scribe> queue;
    /** The id of the last scribe fetched from the store. */
    String fetched;
    int inFlight;

    Stream(Deque<Scribe> queue, String fetched) {
      this.queue = queue;
      this.fetched = fetched;
    }
  }
}
