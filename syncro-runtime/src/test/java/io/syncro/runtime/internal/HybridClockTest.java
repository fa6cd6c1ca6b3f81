package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.runtime.Stamp;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The hybrid logical clock on a wall clock the test sets by hand. */
class HybridClockTest {
  private final AtomicLong wall = new AtomicLong(1_000_000);
  private final HybridClock clock = new HybridClock("server", wall::get, 60_000, null);

  @Test
  void stampsIncreaseEvenWhenTheWallClockStandsStillOrGoesBack() {
    Stamp first = clock.next();
    Stamp second = clock.next();
    wall.set(999_000); // the wall clock is set back
    Stamp third = clock.next();

    assertThat(first).isEqualTo(new Stamp(1_000_000, 0, "server"));
    assertThat(second).isEqualTo(new Stamp(1_000_000, 1, "server"));
    assertThat(third).isEqualTo(new Stamp(1_000_000, 2, "server"));
    wall.set(1_000_005);
    assertThat(clock.next()).isEqualTo(new Stamp(1_000_005, 0, "server"));
  }

  @Test
  void aStampSeenFromAPeerIsOvertakenByTheNextOwnStamp() {
    Stamp seen = new Stamp(1_030_000, 7, "alice"); // 30 s ahead: within the skew

    assertThat(clock.observe(seen)).isEqualTo(seen);
    assertThat(clock.next()).isEqualTo(new Stamp(1_030_000, 8, "server")).matches(s -> s.isAfter(seen));
  }

  @Test
  void aStampTooFarAheadIsReplacedByOneOfThisNode() {
    Stamp fromNextYear = new Stamp(1_000_000 + 365L * 24 * 3600 * 1000, 0, "mallory");

    Stamp kept = clock.observe(fromNextYear);

    assertThat(kept).isEqualTo(new Stamp(1_000_000, 0, "server"));
    assertThat(clock.next().millis()).as("the clock did not jump to next year").isEqualTo(1_000_000);
  }

  @Test
  void aRestartedClockNeverGoesBehindTheLastStampItGaveOrSaw() {
    clock.observe(new Stamp(1_050_000, 3, "bob"));
    Stamp last = clock.last();
    wall.set(900_000); // the machine restarts with its clock behind

    HybridClock restarted = new HybridClock("server", wall::get, 60_000, last);

    assertThat(restarted.next()).isEqualTo(new Stamp(1_050_000, 4, "server"));
  }

  @Test
  void stampsOrderByTimeThenCounterThenNodeAndReadBackFromTheirWireForm() {
    Stamp stamp = new Stamp(1_764_339_600_000L, 3, "alice.example");

    assertThat(Stamp.parse(stamp.toString())).isEqualTo(stamp);
    assertThat(new Stamp(5, 0, "a")).isLessThan(new Stamp(5, 1, "a"));
    assertThat(new Stamp(5, 1, "b")).isLessThan(new Stamp(6, 0, "a"));
    assertThat(new Stamp(5, 1, "a")).isLessThan(new Stamp(5, 1, "b"));
  }
}
