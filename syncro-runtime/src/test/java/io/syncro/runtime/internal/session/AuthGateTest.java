package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an accepted session lets through before its peer authenticates. */
class AuthGateTest {
  private final SessionParts parts = new SessionParts(10); // 3 bad tokens allowed
  private final List<String> authenticated = new ArrayList<>();
  private int closes;
  private final AuthGate gate =
      new AuthGate(parts.host, parts.outbox, authenticated::add, () -> closes++, "192.0.2.7");

  private void receive(String json) {
    parts.loop.run(() -> gate.handle(InboundMessage.parse(json)));
  }

  @Test
  void onlyAuthIsAnsweredAndAGoodTokenAuthenticates() {
    receive("{\"type\":\"sync\",\"from\":null,\"id\":1}");
    receive("{\"type\":\"auth\",\"token\":\"good\",\"id\":2}");

    assertThat(parts.transport.take()).extracting(Object::toString).containsExactly(
        "{\"type\":\"error\",\"code\":401,\"id\":1,\"message\":\"authenticate first\"}",
        "{\"type\":\"response\",\"id\":2,\"result\":{\"uid\":\"alice\"}}");
    assertThat(authenticated).containsExactly("alice");
  }

  @Test
  void theThirdBadTokenClosesTheSession() {
    receive("{\"type\":\"auth\",\"token\":\"bad\",\"id\":1}");
    receive("{\"type\":\"auth\",\"token\":5,\"id\":2}");
    assertThat(closes).isZero();

    receive("{\"type\":\"auth\",\"token\":\"worse\",\"id\":3}");

    assertThat(closes).isEqualTo(1);
    assertThat(parts.transport.take()).hasSize(3)
        .allSatisfy(error -> assertThat(error.path("code").asInt()).isEqualTo(401));
    assertThat(authenticated).isEmpty();
  }

  @Test
  void anAttemptTheNodeThrottlesIsAnswered429WithWhenToRetryAndClosesTheSession() {
    parts.host.throttledKeys.add("192.0.2.7");

    receive("{\"type\":\"auth\",\"token\":\"good\",\"id\":1}");

    assertThat(parts.transport.take()).extracting(Object::toString).containsExactly(
        "{\"type\":\"error\",\"code\":429,\"id\":1,"
            + "\"message\":\"too many failed attempts; try again in 3 s\"}");
    assertThat(closes).isEqualTo(1);
    assertThat(authenticated).as("a throttled good token is not taken either").isEmpty();
    assertThat(parts.host.authKeys).containsExactly("192.0.2.7");
  }

  @Test
  void partialFramesHeldBeforeAuthCountAgainstTheNodesBudgetAndAreGivenBack() {
    assertThat(gate.hold(6_000)).isTrue();
    assertThat(parts.host.unauthenticatedBytes).isEqualTo(6_000);
    assertThat(gate.hold(4_000)).as("a new total, not an increment").isTrue();
    assertThat(parts.host.unauthenticatedBytes).isEqualTo(4_000);

    AuthGate other = new AuthGate(parts.host, parts.outbox, uid -> { }, () -> { }, null);
    assertThat(other.hold(7_000)).as("over the node's budget of 10,000").isFalse();
    assertThat(parts.host.unauthenticatedBytes).isEqualTo(4_000);

    gate.release();
    assertThat(parts.host.unauthenticatedBytes).isZero();
  }
}
