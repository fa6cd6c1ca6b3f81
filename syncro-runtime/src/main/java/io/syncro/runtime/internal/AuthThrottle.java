package io.syncro.runtime.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications across connections, so that reconnecting does not reset what
 * the per-connection limit counts. Two limits, both on failures (a correct token costs nothing):
 *
 * <ul>
 *   <li><b>per peer key</b> (what the transport says the peer is, such as its remote address):
 *       after {@code freeFailures} failures, each further one blocks the key for a delay that
 *       doubles from {@code firstBackoff} up to {@code maxBackoff}; a key is forgotten after
 *       {@code maxBackoff} without a failure, and cleared by a success;
 *   <li><b>per node</b>: at most {@code failuresPerMinute} failures a minute from all peers
 *       together (a token bucket holding a minute's worth), so that guesses spread over many
 *       addresses are slowed too.
 * </ul>
 *
 * <p>While a limit holds, an attempt is refused without asking the authenticator, so a blocked
 * peer learns nothing from it. At most {@code maxKeys} keys are remembered (the least recently
 * seen are dropped first), so peers with ever new addresses cannot fill the heap. Thread-safe.
 */
public final class AuthThrottle {
  /** What the throttle says of one attempt. */
  public sealed interface Verdict {}

  /** The attempt may be checked. */
  public record Check() implements Verdict {}

  /** The attempt is refused unchecked; the peer may try again after {@code retryAfter}. */
  public record Wait(Duration retryAfter, String why) implements Verdict {}

  private static final Check CHECK = new Check();
  private static final long MINUTE = Duration.ofMinutes(1).toNanos();

  private final int freeFailures;
  private final long firstBackoff;
  private final long maxBackoff;
  private final int failuresPerMinute;
  private final int maxKeys;
  private final LongSupplier nanoTime;
  private final Map<String, KeyState> keys;
  private double nodeBudget;
  private long nodeBudgetAt;
  private long failures;
  private long throttled;

  private static final class KeyState {
    int failures;
    long lastFailureAt;
    long blockedUntil;
  }

  /**
   * @param failuresPerMinute the node's limit; 0 for none
   * @param nanoTime the clock, as {@link System#nanoTime} counts
   */
  public AuthThrottle(int freeFailures, Duration firstBackoff, Duration maxBackoff,
      int failuresPerMinute, int maxKeys, LongSupplier nanoTime) {
    this.freeFailures = freeFailures;
    this.firstBackoff = firstBackoff.toNanos();
    this.maxBackoff = maxBackoff.toNanos();
    this.failuresPerMinute = failuresPerMinute;
    this.maxKeys = maxKeys;
    this.nanoTime = nanoTime;
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, KeyState> eldest) {
        return size() > AuthThrottle.this.maxKeys;
      }
    };
    this.nodeBudget = failuresPerMinute;
    this.nodeBudgetAt = nanoTime.getAsLong();
  }

  /**
   * Whether an attempt from {@code key} (null when the transport named none) may be checked
   * now. An attempt refused here is counted as {@linkplain #throttled() throttled}.
   */
  public synchronized Verdict attempt(String key) {
    long now = nanoTime.getAsLong();
    KeyState state = key == null ? null : current(key, now);
    if (state != null && state.blockedUntil - now > 0) {
      throttled++;
      return new Wait(Duration.ofNanos(state.blockedUntil - now), "too many failed attempts from " + key);
    }
    refillNodeBudget(now);
    if (failuresPerMinute > 0 && nodeBudget < 1) {
      throttled++;
      long untilOne = (long) Math.ceil((1 - nodeBudget) * MINUTE / failuresPerMinute);
      return new Wait(Duration.ofNanos(untilOne), "too many failed attempts on this node");
    }
    return CHECK;
  }

  /** A token from {@code key} was refused: counts against both limits. */
  public synchronized void failed(String key) {
    long now = nanoTime.getAsLong();
    failures++;
    refillNodeBudget(now);
    if (failuresPerMinute > 0) {
      nodeBudget = Math.max(0, nodeBudget - 1);
    }
    if (key == null) {
      return;
    }
    KeyState state = current(key, now);
    if (state == null) {
      state = new KeyState();
      keys.put(key, state);
    }
    state.failures++;
    state.lastFailureAt = now;
    int over = state.failures - freeFailures;
    if (over > 0) {
      long backoff = over > 40 ? maxBackoff : Math.min(maxBackoff, firstBackoff << (over - 1));
      state.blockedUntil = now + (backoff < 0 ? maxBackoff : backoff);
    }
  }

  /** A token from {@code key} was accepted: the key starts afresh. */
  public synchronized void succeeded(String key) {
    if (key != null) {
      keys.remove(key);
    }
  }

  /** Tokens refused, from every peer, since the node started. */
  public synchronized long failures() {
    return failures;
  }

  /** Attempts refused unchecked because a limit held, since the node started. */
  public synchronized long throttled() {
    return throttled;
  }

  /** The key's state, or null when it has none or its failures are old enough to forget. */
  private KeyState current(String key, long now) {
    KeyState state = keys.get(key);
    if (state != null && now - state.lastFailureAt > maxBackoff && state.blockedUntil - now <= 0) {
      keys.remove(key);
      return null;
    }
    return state;
  }

  private void refillNodeBudget(long now) {
    if (failuresPerMinute > 0) {
      nodeBudget = Math.min(failuresPerMinute,
          nodeBudget + (double) (now - nodeBudgetAt) * failuresPerMinute / MINUTE);
    }
    nodeBudgetAt = now;
  }
}
