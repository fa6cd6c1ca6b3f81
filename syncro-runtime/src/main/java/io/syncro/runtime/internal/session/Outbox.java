package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.ConnectionClosedException;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.internal.Messages;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages a session has to send, oldest first, and the one thread at a time that writes
 * them to the transport (so they keep their order). Bounded: a peer that reads too slowly for
 * what waits for it is cut off, and catches up on its next sync.
 *
 * <p>The session's loop queues; writing happens after the loop is released ({@link #flush}), so
 * a slow transport never holds the session's other work, and pushes keep being queued (and
 * counted against the bound) while a write waits.
 */
public final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  /** What the outbox does when the peer cannot keep up, or the transport breaks. */
  public interface Failure {
    /** The peer reads too slowly: close its transport and end the session. */
    void overflowed(long queuedBytes);

    /** Sending failed: end the session. */
    void sendFailed(RuntimeException cause);
  }

  private final Outbound outbound;
  private final long maxQueuedBytes;
  private final Executor sender;
  private final Failure failure;
  private final Supplier<String> peer;

  // Guarded by this: queued from the session's loop, written by whichever thread flushes.
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean writing;
  private boolean closed;
  /** Run once what is queued is written, after {@link #closeAfterWriting}; or null. */
  private Runnable afterLast;

  public Outbox(Outbound outbound, long maxQueuedBytes, Executor sender, Failure failure,
      Supplier<String> peer) {
    this.outbound = outbound;
    this.maxQueuedBytes = maxQueuedBytes;
    this.sender = sender;
    this.failure = failure;
    this.peer = peer;
  }

  /**
   * Queues a message for the peer, after those queued before it.
   *
   * @throws ConnectionClosedException when the session is closed, or closes now because the
   *     peer reads too slowly
   */
  public void add(String json) {
    long overflowAt;
    synchronized (this) {
      if (closed) {
        throw new ConnectionClosedException("session of " + peer.get() + " is closed");
      }
      if (queuedBytes + json.length() <= maxQueuedBytes) {
        queue.add(json);
        queuedBytes += json.length();
        return;
      }
      overflowAt = queuedBytes;
    }
    failure.overflowed(overflowAt);
    throw new ConnectionClosedException(peer.get() + " reads too slowly");
  }

  /** Queues the answer to the peer's request {@code id}. */
  public void respond(long id, JsonNode result) {
    add(Messages.response(id, result));
  }

  /** Queues a refusal of the peer's request {@code id}; {@code message} may be null. */
  public void refuse(ErrorCode code, long id, String message) {
    log.debug("answering request {} of {} with error {} ({})", id, peer.get(), code, message);
    add(Messages.error(code.wireCode(), id, message));
  }

  /**
   * Writes what is queued, unless another thread is writing it already.
   *
   * @param mayBlock whether this thread may wait for a slow peer (a transport's reading thread
   *     may: it slows only its own peer); if not, the node's sender threads write
   */
  public void flush(boolean mayBlock) {
    synchronized (this) {
      if (writing || queue.isEmpty()) {
        return;
      }
      writing = true;
    }
    if (mayBlock) {
      write();
    } else {
      try {
        sender.execute(this::write);
      } catch (RuntimeException e) {
        synchronized (this) {
          writing = false; // the node is closing: nothing more is sent
        }
      }
    }
  }

  /** Stops queueing and drops what waits: the session ended. */
  public synchronized void close() {
    closed = true;
    afterLast = null;
    queue.clear();
    queuedBytes = 0;
  }

  /**
   * Stops queueing, writes what waits (the next {@link #flush} does), then runs
   * {@code closeTransport}: the session ends because of the peer, and the peer should still
   * get the answer that says why.
   */
  public void closeAfterWriting(Runnable closeTransport) {
    boolean idle;
    synchronized (this) {
      closed = true;
      afterLast = closeTransport;
      idle = !writing && queue.isEmpty();
      if (idle) {
        afterLast = null;
      }
    }
    if (idle) {
      closeTransport.run();
    }
  }

  /** Bytes of messages waiting to be written. */
  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  private void write() {
    while (true) {
      String next;
      Runnable last = null;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          writing = false;
          last = afterLast;
          afterLast = null;
        } else {
          queuedBytes -= next.length();
        }
      }
      if (next == null) {
        if (last != null) {
          last.run();
        }
        return;
      }
      try {
        outbound.send(next);
      } catch (RuntimeException e) {
        log.warn("send to {} failed, closing the session: {}", peer.get(), e.toString());
        synchronized (this) {
          writing = false;
        }
        close();
        failure.sendFailed(e);
        return;
      }
    }
  }
}
