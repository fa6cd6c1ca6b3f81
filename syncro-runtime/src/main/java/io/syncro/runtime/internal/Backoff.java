package io.syncro.runtime.internal;

import java.time.Duration;

/**
 * How long to wait before trying again: the first delay, doubled after each failure up to a
 * ceiling, and back to the first after a success. Thread-safe.
 */
public final class Backoff {
  /** At most this many doublings: past them the ceiling holds anyway. */
  private static final int MAX_DOUBLINGS = 5;

  private final long firstMillis;
  private final long ceilingMillis;
  private int failures;

  public Backoff(Duration first, Duration ceiling) {
    this.firstMillis = first.toMillis();
    this.ceilingMillis = ceiling.toMillis();
    if (firstMillis <= 0 || ceilingMillis < firstMillis) {
      throw new IllegalArgumentException("a backoff needs 0 < first <= ceiling: " + first + ", " + ceiling);
    }
  }

  /** The delay before the next try, in milliseconds; each call counts as one more failure. */
  public synchronized long nextDelayMillis() {
    long delay = Math.min(firstMillis << Math.min(failures, MAX_DOUBLINGS), ceilingMillis);
    failures++;
    return delay;
  }

  /** A try succeeded: the next delay is the first again. */
  public synchronized void reset() {
    failures = 0;
  }
}
