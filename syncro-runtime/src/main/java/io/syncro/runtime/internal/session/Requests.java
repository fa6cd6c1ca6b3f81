package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.ConnectionClosedException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a session has sent and the peer has not answered yet: their ids, what to do with
 * each answer, and their timeouts. Confined to the session's loop; a timeout hops onto it.
 */
public final class Requests {
  private static final Logger log = LoggerFactory.getLogger(Requests.class);

  /** What to do with a request's answer: the response, or why there is none. */
  public interface Answer {
    void accept(JsonNode response, Throwable failure);
  }

  private record Pending(Answer answer, Scheduler.Scheduled timeout) {}

  private final SessionLoop loop;
  private final Scheduler scheduler;
  private final long timeoutMillis;
  private final int maxPending;
  private final Outbox outbox;
  private final Runnable peerStopsAnswering;
  private final Supplier<String> peer;

  /** By id, ordered: an error without an id answers the oldest. */
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private long lastId;
  /** pending.size(), for threads outside the loop. */
  private volatile int count;

  /**
   * @param peerStopsAnswering closes the session: called when {@code maxPending} requests wait
   */
  public Requests(SessionLoop loop, Scheduler scheduler, long timeoutMillis, int maxPending,
      Outbox outbox, Runnable peerStopsAnswering, Supplier<String> peer) {
    this.loop = loop;
    this.scheduler = scheduler;
    this.timeoutMillis = timeoutMillis;
    this.maxPending = maxPending;
    this.outbox = outbox;
    this.peerStopsAnswering = peerStopsAnswering;
    this.peer = peer;
  }

  /**
   * Sends a request with the next id. Its answer, or its failure (a timeout, the session
   * closing, the peer not answering enough), goes to {@code onAnswer}, on the loop, once.
   */
  public void send(LongFunction<String> messageWithId, Answer onAnswer) {
    if (pending.size() >= maxPending) {
      // The peer has stopped answering: waiting on more would only grow without end.
      log.warn("{} leaves {} requests unanswered; closing its session", peer.get(), pending.size());
      peerStopsAnswering.run();
      onAnswer.accept(null, new ConnectionClosedException(peer.get() + " does not answer"));
      return;
    }
    long id = ++lastId;
    try {
      outbox.add(messageWithId.apply(id));
    } catch (ConnectionClosedException e) {
      onAnswer.accept(null, e);
      return;
    }
    Scheduler.Scheduled timeout =
        scheduler.schedule(() -> loop.executeElsewhere(() -> expire(id)), timeoutMillis);
    pending.put(id, new Pending(onAnswer, timeout));
    count = pending.size();
  }

  /**
   * As {@link #send}, and the request is written at once by the node's sender threads, not
   * once the loop is released: for a request whose answer the peer can work out while this
   * loop goes on with long work (the next page of a catch-up, asked for before this one is
   * applied).
   */
  public void sendAtOnce(LongFunction<String> messageWithId, Answer onAnswer) {
    send(messageWithId, onAnswer);
    outbox.flush(false);
  }

  /** The peer answered request {@code id}; false when no such request waits. */
  public boolean answer(long id, JsonNode response) {
    Pending request = remove(id);
    if (request == null) {
      return false;
    }
    request.answer.accept(response, null);
    return true;
  }

  /**
   * The peer refused request {@code id}, or, when {@code id} is null (the original sends errors
   * without one), the oldest request, since a peer answers in order.
   *
   * @return false when no request waits for this error
   */
  public boolean fail(Long id, Throwable error) {
    Pending request;
    if (id != null) {
      request = remove(id);
    } else {
      Map.Entry<Long, Pending> oldest = pending.pollFirstEntry();
      count = pending.size();
      request = oldest == null ? null : oldest.getValue();
      if (request != null) {
        request.timeout.cancel();
      }
    }
    if (request == null) {
      return false;
    }
    request.answer.accept(null, error);
    return true;
  }

  /** Fails every request waiting: the session closed. */
  public void failAll(Throwable reason) {
    while (!pending.isEmpty()) {
      fail(pending.firstKey(), reason);
    }
  }

  /** How many requests wait for an answer; from any thread. */
  public int count() {
    return count;
  }

  private void expire(long id) {
    if (pending.containsKey(id)) {
      fail(id, new TimeoutException("no answer from " + peer.get() + " to request " + id
          + " within " + timeoutMillis + " ms"));
    }
  }

  private Pending remove(long id) {
    Pending request = pending.remove(id);
    count = pending.size();
    if (request != null) {
      request.timeout.cancel();
    }
    return request;
  }
}
