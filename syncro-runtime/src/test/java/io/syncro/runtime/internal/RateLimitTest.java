package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves by hand. */
class RateLimitTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private int taken(RateLimit limit, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (limit.tryTake()) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void aFullSecondsWorthAtOnceThenWhatTheClockRefills() {
    RateLimit limit = new RateLimit(10, now::get);

    assertThat(taken(limit, 50)).isEqualTo(10);
    now.addAndGet(250_000_000L); // a quarter of a second
    assertThat(taken(limit, 50)).isEqualTo(2); // 2.5 tokens refilled, 2 whole ones
    now.addAndGet(50_000_000L); // the half token left and another half make one
    assertThat(taken(limit, 50)).isEqualTo(1);
  }

  @Test
  void neverHoldsMoreThanOneSecondsWorth() {
    RateLimit limit = new RateLimit(10, now::get);
    taken(limit, 10);

    now.addAndGet(60_000_000_000L); // a minute idle

    assertThat(taken(limit, 100)).isEqualTo(10);
  }

  @Test
  void zeroMeansUnlimited() {
    assertThat(taken(new RateLimit(0, now::get), 100_000)).isEqualTo(100_000);
  }
}
