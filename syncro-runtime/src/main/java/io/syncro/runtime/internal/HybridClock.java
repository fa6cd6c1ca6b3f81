package io.syncro.runtime.internal;

import io.syncro.runtime.Stamp;
import java.util.function.LongSupplier;

/**
 * A node's hybrid logical clock: every stamp it gives is later than every stamp it gave or saw
 * before, and stays close to the wall clock. A stamp seen from a peer moves it forward, unless
 * it is further ahead of this node's wall clock than the allowed skew: such a stamp is not taken
 * as it is (see {@link #observe}), so a peer cannot pin a field for ever by sending a stamp from
 * next year. Thread-safe.
 */
public final class HybridClock {
  private final String node;
  private final LongSupplier wallMillis;
  private final long maxSkewMillis;
  private long millis;
  private int counter;

  /**
   * @param node the uid stamps of this node carry
   * @param wallMillis the wall clock
   * @param maxSkewMillis how far ahead of the wall clock a peer's stamp may be and still count
   * @param last the last stamp this node gave or saw before a restart, or null
   */
  public HybridClock(String node, LongSupplier wallMillis, long maxSkewMillis, Stamp last) {
    this.node = node;
    this.wallMillis = wallMillis;
    this.maxSkewMillis = maxSkewMillis;
    if (last != null) {
      this.millis = last.millis();
      this.counter = last.counter();
    }
  }

  /** A new stamp, later than every stamp given or seen so far. */
  public synchronized Stamp next() {
    long wall = wallMillis.getAsLong();
    if (wall > millis) {
      millis = wall;
      counter = 0;
    } else {
      counter++;
    }
    return new Stamp(millis, counter, node);
  }

  /**
   * Takes in a stamp from a peer, so that the next stamp given here is later than it.
   *
   * @return the stamp to keep for the peer's change: the one given, or, when it is further ahead
   *     of this node's wall clock than the allowed skew, a stamp of this node's instead (the
   *     change then counts as made when it arrived here)
   */
  public synchronized Stamp observe(Stamp seen) {
    long wall = wallMillis.getAsLong();
    if (seen.millis() > wall + maxSkewMillis) {
      return next();
    }
    if (seen.millis() > millis || (seen.millis() == millis && seen.counter() > counter)) {
      millis = seen.millis();
      counter = seen.counter();
    }
    return seen;
  }

  /** The latest stamp given or seen, to keep across restarts; null before any. */
  public synchronized Stamp last() {
    return millis == 0 && counter == 0 ? null : new Stamp(millis, counter, node);
  }
}
