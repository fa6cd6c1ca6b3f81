package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongUnaryOperator;

/**
 * How long a node keeps its scribes: at most {@code maxScribes} of them, and none older than
 * {@code maxAge}; a scribe goes when either says so. A record's tombstone (the stamps of a
 * destroyed record, which keep a late change from bringing it back) goes with the scribe that
 * destroyed it, never before.
 *
 * <p>What is dropped is history, never state: a node's records stay whole. A client whose cursor
 * is older than the oldest scribe kept catches up from a snapshot of the records instead of the
 * log (see {@code docs/protocol.md}, "Snapshots"), and nothing a session is still sending is
 * dropped under it. Peers that were away longer than the retention therefore converge too; what
 * they lose is only the replay of each change, and a change they made to a record destroyed
 * longer ago than that may bring the record back.
 *
 * <pre>{@code
 * Syncro.builder()
 *     .retention(Retention.forever().maxScribes(1_000_000).maxAge(Duration.ofDays(30)))
 * }</pre>
 *
 * @param maxScribes the most scribes kept; {@link Long#MAX_VALUE} for no limit
 * @param maxAge the oldest a kept scribe may be, by when this store appended it; null for no
 *     limit
 */
public record Retention(long maxScribes, Duration maxAge) {

  public Retention {
    if (maxScribes < 0) {
      throw new IllegalArgumentException("maxScribes must not be negative: " + maxScribes);
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
    }
  }

  /** Keeps every scribe: the default. */
  public static Retention forever() {
    return new Retention(Long.MAX_VALUE, null);
  }

  /** This retention, keeping at most {@code max} scribes. */
  public Retention maxScribes(long max) {
    return new Retention(max, maxAge);
  }

  /** This retention, keeping no scribe older than {@code age}. */
  public Retention maxAge(Duration age) {
    return new Retention(maxScribes, requireNonNull(age, "age"));
  }

  /** Whether this retention keeps everything. */
  public boolean keepsEverything() {
    return maxScribes == Long.MAX_VALUE && maxAge == null;
  }

  /**
   * The sequence of the oldest scribe to keep, for a store holding scribes {@code first} through
   * {@code last}: never below {@code first}, never above {@code keepFrom} (the oldest a session
   * still needs), and {@code last + 1} when none is to be kept.
   *
   * @param appendedAt when the scribe of a sequence was appended, in epoch milliseconds; asked
   *     only for sequences from {@code first} to {@code last}, about log2(last - first) times
   */
  long firstToKeep(long first, long last, long keepFrom, Instant now,
      LongUnaryOperator appendedAt) {
    long floor = first;
    if (maxScribes != Long.MAX_VALUE) {
      floor = Math.max(floor, last - maxScribes + 1);
    }
    if (maxAge != null) {
      long oldestKept = now.minus(maxAge).toEpochMilli();
      // The first sequence appended at or after oldestKept; appends are in time order, as far
      // as the clock is steady (a clock set back keeps a little more, never less).
      long low = floor;
      long high = last + 1;
      while (low < high) {
        long middle = low + (high - low) / 2;
        if (appendedAt.applyAsLong(middle) >= oldestKept) {
          high = middle;
        } else {
          low = middle + 1;
        }
      }
      floor = low;
    }
    return Math.max(first, Math.min(floor, Math.min(keepFrom, last + 1)));
  }
}
