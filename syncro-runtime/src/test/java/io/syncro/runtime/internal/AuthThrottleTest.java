package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The node's limits on failed authentications across connections, on a clock moved by hand. */
class AuthThrottleTest {
  private long now = 1_000_000_000L;
  private final AuthThrottle throttle = new AuthThrottle(3, Duration.ofSeconds(1),
      Duration.ofSeconds(8), 600, 4, () -> now);

  private void advance(Duration by) {
    now += by.toNanos();
  }

  private boolean checked(String key) {
    return throttle.attempt(key) instanceof AuthThrottle.Check;
  }

  private Duration waitOf(String key) {
    return ((AuthThrottle.Wait) throttle.attempt(key)).retryAfter();
  }

  @Test
  void afterTheFreeFailuresEachOneBlocksTheKeyForTwiceAsLongUpToTheMaximum() {
    for (int i = 0; i < 3; i++) {
      assertThat(checked("198.51.100.1")).isTrue();
      throttle.failed("198.51.100.1");
    }
    assertThat(checked("198.51.100.1")).as("three failures are free").isTrue();
    throttle.failed("198.51.100.1");
    assertThat(waitOf("198.51.100.1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(checked("198.51.100.2")).as("another key is not held back").isTrue();

    advance(Duration.ofSeconds(1));
    assertThat(checked("198.51.100.1")).isTrue();
    throttle.failed("198.51.100.1");
    assertThat(waitOf("198.51.100.1")).isEqualTo(Duration.ofSeconds(2));
    for (int i = 0; i < 4; i++) {
      advance(Duration.ofSeconds(8));
      throttle.failed("198.51.100.1");
    }
    assertThat(waitOf("198.51.100.1")).as("never longer than the maximum").isEqualTo(Duration.ofSeconds(8));
    assertThat(throttle.failures()).isEqualTo(9);
    assertThat(throttle.throttled()).isEqualTo(3);
  }

  @Test
  void aSuccessClearsTheKeyAndQuietForgetsIt() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("a");
      throttle.failed("b");
    }
    assertThat(checked("a")).isFalse();
    advance(Duration.ofSeconds(1));
    throttle.succeeded("a");
    throttle.failed("a");
    assertThat(checked("a")).as("counting starts again after a success").isTrue();

    advance(Duration.ofSeconds(9)); // past the maximum without a failure
    throttle.failed("b");
    assertThat(checked("b")).as("old failures are forgotten").isTrue();
  }

  @Test
  void theNodeLimitHoldsBackEveryKeyOnceAMinutesWorthFailedAndRefills() {
    AuthThrottle node = new AuthThrottle(1_000, Duration.ofSeconds(1), Duration.ofMinutes(15),
        60, 100, () -> now);
    for (int i = 0; i < 60; i++) {
      assertThat(node.attempt("key-" + i)).isInstanceOf(AuthThrottle.Check.class);
      node.failed("key-" + i);
    }
    AuthThrottle.Verdict next = node.attempt("a-new-key");
    assertThat(next).isInstanceOf(AuthThrottle.Wait.class);
    assertThat(((AuthThrottle.Wait) next).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(node.attempt(null)).as("a peer without a key too").isInstanceOf(AuthThrottle.Wait.class);

    advance(Duration.ofSeconds(1));
    assertThat(node.attempt("a-new-key")).isInstanceOf(AuthThrottle.Check.class);
    assertThat(node.throttled()).isEqualTo(2);
  }

  @Test
  void remembersAtMostItsNumberOfKeysDroppingTheLeastRecent() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("first");
    }
    assertThat(checked("first")).isFalse();
    for (String key : new String[] {"k1", "k2", "k3", "k4"}) {
      throttle.failed(key);
    }
    assertThat(checked("first")).as("dropped to make room: bounded memory wins").isTrue();
  }
}
