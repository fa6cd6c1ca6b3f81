package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The catch-up this node asks for: the pages of a snapshot are asked for two ahead, the requests
 * written, before the page that came is applied, so that the peer reads them meanwhile; their
 * answers are applied after, in order, and dropped when the page before them failed, or the
 * snapshot ended before them. A cursor of the peer's log, which tells the peer what this node
 * holds, is asked for only once the page before it is applied.
 */
class InboundCatchUpTest {
  private final SessionParts parts = new SessionParts(10);
  private final InboundCatchUp catchUp = new InboundCatchUp(parts.host, parts.requests,
      parts.intake, parts.resync, (applied, total) -> { }, () -> "alice");

  private static final String SECOND_PAGE = Messages.SNAPSHOT_PAGE + "2";
  private static final String THIRD_PAGE = Messages.SNAPSHOT_PAGE + "3";
  private static final String FOURTH_PAGE = Messages.SNAPSHOT_PAGE + "4";

  @Test
  void thePagesOfASnapshotAreAskedForTwoAheadOfThePageApplied() {
    List<String> askedForWhileApplying = new ArrayList<>();
    parts.host.whileApplying = () -> askedForWhileApplying.add(String.join(" ",
        parts.transport.sent.stream().map(message -> message.path("from").asText()).toList()));
    CompletableFuture<Void> done = start();
    parts.transport.take();

    answer(1, page(SECOND_PAGE, "s1"));
    List<JsonNode> asked = syncsSent();
    answer(asked.get(0).path("id").asLong(), page(THIRD_PAGE, "s2"));
    List<JsonNode> askedThen = syncsSent();
    answer(asked.get(1).path("id").asLong(), page(null, "s3")); // the snapshot's last page
    // The page after the last was asked for too: the peer refuses it, and that is no failure.
    parts.loop.run(() -> parts.requests.fail(askedThen.get(0).path("id").asLong(),
        new RemoteErrorException(0, "no such snapshot page; sync again from the start")));

    assertThat(asked).extracting(message -> message.path("from").asText())
        .containsExactly(SECOND_PAGE, THIRD_PAGE);
    assertThat(askedThen).extracting(message -> message.path("from").asText())
        .containsExactly(FOURTH_PAGE);
    assertThat(askedForWhileApplying).as("asked for by the time each page's scribe was applied")
        .containsExactly(SECOND_PAGE + " " + THIRD_PAGE, FOURTH_PAGE, "");
    assertThat(parts.host.applied).containsExactly("s1", "s2", "s3");
    assertThat(done).isCompleted();
    assertThat(parts.resync.cursorFrozen()).isFalse();
  }

  @Test
  void theNextPageOfTheLogIsAskedForOnceThisOneIsApplied() {
    List<String> askedForWhileApplying = new ArrayList<>();
    parts.host.whileApplying = () -> parts.transport.sent.forEach(
        message -> askedForWhileApplying.add(message.path("from").asText()));
    CompletableFuture<Void> done = start();

    parts.transport.take();
    answer(1, page("2", "s1", "s2"));
    JsonNode second = syncsSent().get(0);
    answer(second.path("id").asLong(), page(null, "s3"));

    assertThat(second.path("from").asText()).isEqualTo("2");
    assertThat(askedForWhileApplying).isEmpty();
    assertThat(parts.host.applied).containsExactly("s1", "s2", "s3");
    assertThat(done).isCompleted();
  }

  @Test
  void thePagesAskedForAheadAreDroppedWhenTheOneBeforeThemFails() {
    CompletableFuture<Void> done = start();
    parts.transport.take();
    parts.host.nextOutcome = ApplyOutcome.FAILED;

    answer(1, page(SECOND_PAGE, "s1"));
    List<JsonNode> asked = syncsSent();
    parts.host.nextOutcome = ApplyOutcome.APPLIED;
    answer(asked.get(0).path("id").asLong(), page(THIRD_PAGE, "s2"));
    answer(asked.get(1).path("id").asLong(), page(null, "s3"));

    assertThat(done).isCompletedExceptionally();
    assertThat(parts.host.applied).as("nothing of the pages after the failed one").isEmpty();
    assertThat(parts.resync.cursorFrozen()).isTrue();
    assertThat(syncsSent()).as("nothing more asked for").isEmpty();
  }

  private CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    parts.loop.run(() -> started.add(catchUp.start()));
    return started.get(0);
  }

  private void answer(long id, ObjectNode response) {
    parts.loop.run(() -> parts.requests.answer(id, response.put("id", id)));
  }

  /** The syncs sent since the last look. */
  private List<JsonNode> syncsSent() {
    List<JsonNode> sent = parts.transport.take();
    assertThat(sent).allSatisfy(
        message -> assertThat(message.path("type").asText()).isEqualTo("sync"));
    return sent;
  }

  /** A page of creates with these scribe ids, naming the next page, or the last (null). */
  private static ObjectNode page(String next, String... ids) {
    ObjectNode response = Json.NODES.objectNode().put("type", "response");
    ArrayNode result = response.putArray("result");
    for (String id : ids) {
      ObjectNode scribe = result.addObject().put("klass", "Note").put("type", "create")
          .put("id", id);
      scribe.putObject("data").put("id", id);
    }
    response.put("total", ids.length);
    if (next != null) {
      response.put("next", next);
    }
    return response;
  }
}
