package io.syncro.runtime.internal;

import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} events a second, averaged over a second: a token bucket that holds
 * one second's worth and refills continuously. Unlimited when {@code perSecond} is 0. Not
 * thread-safe: one per session, used on its receiving thread.
 */
public final class RateLimit {
  private final int perSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  /** A limit on the system's clock. */
  public RateLimit(int perSecond) {
    this(perSecond, System::nanoTime);
  }

  /** A limit on the given clock of nanoseconds, as {@link System#nanoTime} counts them. */
  public RateLimit(int perSecond, LongSupplier nanoTime) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("perSecond must not be negative: " + perSecond);
    }
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.tokens = perSecond;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Takes one event's token; false when there is none left for now. */
  public boolean tryTake() {
    if (perSecond == 0) {
      return true;
    }
    long now = nanoTime.getAsLong();
    tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
