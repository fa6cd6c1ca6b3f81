package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pushed scribes: the answer each outcome gets, the cursor, and the rate limit on a fake clock. */
class ScribeIntakeTest {
  private final SessionParts parts = new SessionParts(10); // 5 scribes a second

  private void push(long id, String scribeId) {
    ObjectNode scribe = Json.NODES.objectNode().put("id", scribeId).put("klass", "Note");
    parts.loop.run(() -> parts.intake.pushed(new InboundMessage.AddScribe(id, scribe)));
  }

  private List<JsonNode> answers() {
    return parts.transport.take();
  }

  @Test
  void eachOutcomeGetsItsAnswerAndOnlyAnAppliedScribeMovesTheCursor() {
    push(1, "10");
    parts.host.nextOutcome = ApplyOutcome.REFUSED;
    push(2, "11");
    parts.host.nextOutcome = ApplyOutcome.INVALID;
    push(3, "12");
    parts.host.nextOutcome = ApplyOutcome.NOT_SYNCED;
    push(4, "13");

    assertThat(answers()).extracting(m -> m.path("type").asText() + " " + m.path("code").asText(""))
        .containsExactly("response ", "error 403", "error 0", "error 403");
    assertThat(parts.host.cursorOf("alice")).isEqualTo("10");
    assertThat(parts.scheduler.waiting()).as("nothing to retry").isZero();
  }

  @Test
  void aScribeThisNodeFailedToApplyStopsTheCursorUntilASyncAnswers() {
    push(1, "10");
    parts.host.nextOutcome = ApplyOutcome.FAILED;
    push(2, "11");
    parts.host.nextOutcome = ApplyOutcome.APPLIED;
    push(3, "12");

    assertThat(parts.host.applied).containsExactly("10", "12");
    assertThat(parts.host.cursorOf("alice")).as("never past the scribe that failed").isEqualTo("10");
    assertThat(parts.scheduler.nextDueIn()).as("a resync is scheduled").isEqualTo(1_000);
  }

  @Test
  void aPeerOverTheRateIsToldToSyncLaterAndItsCursorStops() {
    for (int i = 1; i <= 6; i++) {
      push(i, String.valueOf(i));
    }

    List<JsonNode> answers = answers();
    assertThat(answers.subList(0, 5)).allSatisfy(m -> assertThat(m.path("type").asText()).isEqualTo("response"));
    assertThat(answers.get(5).path("message").asText()).contains("too many scribes");
    assertThat(parts.resync.cursorFrozen()).isTrue();

    parts.nanoTime.addAndGet(1_000_000_000L); // a second later the bucket is full again
    push(7, "7");
    assertThat(answers()).singleElement()
        .satisfies(m -> assertThat(m.path("type").asText()).isEqualTo("response"));
    assertThat(parts.host.cursorOf("alice")).isEqualTo("5");
  }
}
