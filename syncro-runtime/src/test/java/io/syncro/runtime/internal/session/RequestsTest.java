package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.ConnectionClosedException;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Requests in flight, on a loop run by the test's thread and a clock the test moves. */
class RequestsTest {
  private final FakeScheduler scheduler = new FakeScheduler();
  private final RecordingOutbound transport = new RecordingOutbound();
  private final Outbox outbox = new Outbox(transport, 1 << 20, Runnable::run, new Outbox.Failure() {
    @Override
    public void overflowed(long queuedBytes) {}

    @Override
    public void sendFailed(RuntimeException cause) {}
  }, () -> "peer");
  private final SessionLoop loop = new SessionLoop(Runnable::run, outbox::flush);
  private int cutOffs;
  private final Requests requests =
      new Requests(loop, scheduler, 30_000, 3, outbox, () -> cutOffs++, () -> "peer");
  private final List<String> answers = new ArrayList<>();

  private void ping() {
    loop.run(() -> requests.send(Messages::noop, (response, failure) -> answers.add(
        failure == null ? "answered " + response.path("id").asLong() : failure.getClass().getSimpleName())));
  }

  private static JsonNode response(long id) {
    return Json.NODES.objectNode().put("type", "response").put("id", id).put("result", true);
  }

  @Test
  void aRequestGetsItsAnswerAndItsTimeoutIsCancelled() {
    ping();

    assertThat(transport.take()).singleElement()
        .satisfies(sent -> assertThat(sent.path("id").asLong()).isEqualTo(1));
    assertThat(requests.count()).isEqualTo(1);
    loop.run(() -> requests.answer(1, response(1)));

    assertThat(answers).containsExactly("answered 1");
    assertThat(requests.count()).isZero();
    assertThat(scheduler.waiting()).isZero();
  }

  @Test
  void aRequestLeftUnansweredTimesOutWhenTheClockSaysSoAndNotBefore() {
    ping();

    scheduler.advance(29_999);
    assertThat(answers).isEmpty();
    scheduler.advance(1);

    assertThat(answers).containsExactly("TimeoutException");
    assertThat(requests.count()).isZero();
    // A late answer finds nothing to complete.
    loop.run(() -> assertThat(requests.answer(1, response(1))).isFalse());
  }

  @Test
  void anErrorWithoutAnIdAnswersTheOldestRequest() {
    ping();
    ping();

    loop.run(() -> requests.fail(null, new RemoteErrorException(0, "no")));

    assertThat(answers).containsExactly("RemoteErrorException");
    loop.run(() -> requests.answer(2, response(2)));
    assertThat(answers).containsExactly("RemoteErrorException", "answered 2");
  }

  @Test
  void aPeerThatLeavesTooManyRequestsUnansweredIsCutOff() {
    ping();
    ping();
    ping();
    assertThat(cutOffs).isZero();

    ping();

    assertThat(cutOffs).isEqualTo(1);
    assertThat(answers).containsExactly("ConnectionClosedException");
  }

  @Test
  void closingFailsEveryRequestInFlightOnce() {
    ping();
    ping();

    loop.run(() -> requests.failAll(new ConnectionClosedException("closed")));
    scheduler.advance(60_000);

    assertThat(answers).containsExactly("ConnectionClosedException", "ConnectionClosedException");
    assertThat(requests.count()).isZero();
  }

  @Test
  void aTimeoutIsATimeoutException() {
    List<Throwable> failures = new ArrayList<>();
    loop.run(() -> requests.send(Messages::noop, (response, failure) -> failures.add(failure)));

    scheduler.advance(30_000);

    assertThat(failures).singleElement().isInstanceOf(TimeoutException.class)
        .extracting(Throwable::getMessage).asString().contains("peer", "30000 ms");
  }
}
