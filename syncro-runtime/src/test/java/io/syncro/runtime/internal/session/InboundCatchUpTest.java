package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The catch-up this node asks for: the next page of a snapshot is asked for, and the request
 * written, before the page that came is applied, so that the peer reads it meanwhile; its answer
 * is applied after, and dropped when the page before it failed. A cursor of the peer's log,
 * which tells the peer what this node holds, is asked for only after.
 */
class InboundCatchUpTest {
  private final SessionParts parts = new SessionParts(10);
  private final InboundCatchUp catchUp = new InboundCatchUp(parts.host, parts.requests,
      parts.intake, parts.resync, (applied, total) -> { }, () -> "alice");

  private static final String SECOND_PAGE = Messages.SNAPSHOT_PAGE + "2";

  @Test
  void theNextPageOfASnapshotIsAskedForBeforeThisOneIsApplied() {
    List<String> askedForWhileApplying = new ArrayList<>();
    parts.host.whileApplying = () -> parts.transport.sent.forEach(
        message -> askedForWhileApplying.add(message.path("from").asText()));
    CompletableFuture<Void> done = start();

    parts.transport.take();
    answer(1, page(SECOND_PAGE, "s1", "s2"));
    JsonNode second = onlySyncSent();
    answer(second.path("id").asLong(), page(null, "s3"));

    assertThat(second.path("from").asText()).isEqualTo(SECOND_PAGE);
    assertThat(askedForWhileApplying).as("requests sent by the time each scribe was applied")
        .containsExactly(SECOND_PAGE, SECOND_PAGE);
    assertThat(parts.host.applied).containsExactly("s1", "s2", "s3");
    assertThat(done).isCompleted();
  }

  @Test
  void theNextPageOfTheLogIsAskedForOnceThisOneIsApplied() {
    List<String> askedForWhileApplying = new ArrayList<>();
    parts.host.whileApplying = () -> parts.transport.sent.forEach(
        message -> askedForWhileApplying.add(message.path("from").asText()));
    CompletableFuture<Void> done = start();

    parts.transport.take();
    answer(1, page("2", "s1", "s2"));
    JsonNode second = onlySyncSent();
    answer(second.path("id").asLong(), page(null, "s3"));

    assertThat(second.path("from").asText()).isEqualTo("2");
    assertThat(askedForWhileApplying).isEmpty();
    assertThat(parts.host.applied).containsExactly("s1", "s2", "s3");
    assertThat(done).isCompleted();
  }

  @Test
  void thePageAskedForEarlyIsDroppedWhenTheOneBeforeItFails() {
    CompletableFuture<Void> done = start();
    parts.transport.take();
    parts.host.nextOutcome = ApplyOutcome.FAILED;

    answer(1, page(SECOND_PAGE, "s1"));
    JsonNode second = onlySyncSent();
    parts.host.nextOutcome = ApplyOutcome.APPLIED;
    answer(second.path("id").asLong(), page(null, "s2"));

    assertThat(done).isCompletedExceptionally();
    assertThat(parts.host.applied).as("nothing of the page after the failed one").isEmpty();
    assertThat(parts.resync.cursorFrozen()).isTrue();
  }

  private CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    parts.loop.run(() -> started.add(catchUp.start()));
    return started.get(0);
  }

  private void answer(long id, ObjectNode response) {
    parts.loop.run(() -> parts.requests.answer(id, response.put("id", id)));
  }

  private JsonNode onlySyncSent() {
    List<JsonNode> sent = parts.transport.take();
    assertThat(sent).singleElement()
        .satisfies(message -> assertThat(message.path("type").asText()).isEqualTo("sync"));
    return sent.get(0);
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
