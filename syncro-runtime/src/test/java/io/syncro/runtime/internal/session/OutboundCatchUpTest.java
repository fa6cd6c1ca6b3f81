package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a session sends the peer: catch-up pages, the stream to an original peer, live pushes. */
class OutboundCatchUpTest {

  private static List<String> ids(JsonNode response) {
    List<String> ids = new ArrayList<>();
    for (JsonNode scribe : response.path("result")) {
      ids.add(scribe.path("id").asText());
    }
    return ids;
  }

  private static JsonNode only(List<JsonNode> sent) {
    assertThat(sent).hasSize(1);
    return sent.get(0);
  }

  @Test
  void aPagedCatchUpCountsTheBacklogOnceAndEndsAtThePageWithoutNext() {
    SessionParts parts = new SessionParts(10);
    for (int i = 1; i <= 25; i++) {
      parts.host.record("n" + i);
    }

    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, null, true)));
    JsonNode first = only(parts.transport.take());
    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(2, first.path("next").asText(), true)));
    JsonNode second = only(parts.transport.take());
    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(3, second.path("next").asText(), true)));
    JsonNode third = only(parts.transport.take());

    assertThat(ids(first)).hasSize(10).startsWith("1").endsWith("10");
    assertThat(first.path("total").asLong()).isEqualTo(25);
    assertThat(second.path("total").asLong()).isEqualTo(15);
    assertThat(ids(third)).containsExactly("21", "22", "23", "24", "25");
    assertThat(third.has("next")).isFalse();
    assertThat(parts.host.counts).as("backlog counted once per catch-up, not per page").isEqualTo(1);
  }

  private static Scribe wholeRecord(String id, String text) {
    return Scribe.builder().klass("Note").type(io.syncro.ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", id).put("text", text))
        .recipients(io.syncro.runtime.Recipients.everyone()).build();
  }

  private static List<String> recordIds(JsonNode response) {
    List<String> ids = new ArrayList<>();
    for (JsonNode record : response.path("result")) {
      ids.add(record.path("data").path("id").asText());
    }
    return ids;
  }

  @Test
  void aSnapshotSendsEachRecordOnceThenNamesTheCursorTheLogGoesOnFrom() {
    SessionParts parts = new SessionParts(4);
    for (int i = 1; i <= 30; i++) {
      parts.host.record("n" + i); // the log: 30 scribes
    }
    parts.host.snapshotRecords = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      parts.host.snapshotRecords.add(wholeRecord("r" + i, "as it is"));
    }

    List<String> received = new ArrayList<>();
    JsonNode page = null;
    for (long id = 1; id < 10 && (page == null || !page.has("cursor")); id++) {
      InboundMessage.Sync sync = page == null
          ? new InboundMessage.Sync(id, null, true, true)
          : new InboundMessage.Sync(id, page.path("next").asText(), true);
      parts.loop.run(() -> parts.outbound.answer(sync));
      page = only(parts.transport.take());
      received.addAll(recordIds(page));
      assertThat(page.path("result").size()).isLessThanOrEqualTo(4);
    }

    assertThat(received).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
        "r10");
    assertThat(page.path("cursor").asText()).isEqualTo("30");
    assertThat(page.path("next").asText()).as("the log goes on after the snapshot").isEqualTo("30");
    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(9, "30", true)));
    assertThat(ids(only(parts.transport.take()))).isEmpty();
  }

  @Test
  void aSnapshotPageOfAnotherConnectionIsRefused() {
    SessionParts parts = new SessionParts(4);
    parts.host.snapshotRecords = List.of(wholeRecord("r1", "x"));

    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, "~snapshot:3", true)));

    assertThat(only(parts.transport.take()).path("type").asText()).isEqualTo("error");
  }

  @Test
  void aRecordTooLargeForAPageEndsTheSnapshotAndTheLogFollowsFromItsStart() {
    SessionParts parts = new SessionParts(4);
    parts.host.record("n1");
    parts.host.snapshotRecords = List.of(wholeRecord("r1", "x".repeat(70_000)));

    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, null, true, true)));
    JsonNode answer = only(parts.transport.take());

    assertThat(answer.path("result").size()).isZero();
    assertThat(answer.has("cursor")).as("the snapshot's end, which the requester goes on from")
        .isTrue();
    assertThat(answer.get("cursor").asText()).as("with no cursor to store").isEmpty();
    assertThat(answer.path("next").asText()).isEmpty();
    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(2, null, true)));
    assertThat(ids(only(parts.transport.take()))).containsExactly("1");
  }

  @Test
  void pushesStartWithTheLastPageAndNeverRepeatOrGoBack() {
    SessionParts parts = new SessionParts(10);
    parts.host.record("n1");
    Scribe beforeLive = parts.host.record("n2");

    parts.loop.run(() -> parts.outbound.push(beforeLive, beforeLive.toJson()));
    assertThat(parts.transport.take()).as("not live before the peer's sync is answered").isEmpty();

    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, null, true)));
    assertThat(ids(only(parts.transport.take()))).containsExactly("1", "2");

    Scribe afterLive = parts.host.record("n3");
    parts.loop.run(() -> {
      parts.outbound.push(beforeLive, beforeLive.toJson()); // already in the page
      parts.outbound.push(afterLive, afterLive.toJson());
      parts.outbound.push(afterLive, afterLive.toJson()); // delivered twice by a fleet's repair
    });

    JsonNode pushed = only(parts.transport.take());
    assertThat(pushed.path("type").asText()).isEqualTo("add_scribe");
    assertThat(pushed.path("scribe").path("id").asText()).isEqualTo("3");
  }

  @Test
  void anOriginalPeerGetsTheFirstFrameThenAWindowOfAddScribesAtATime() {
    SessionParts parts = new SessionParts(3); // the window is 4
    for (int i = 1; i <= 10; i++) {
      parts.host.record("n" + i);
    }

    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, null, false)));
    List<JsonNode> sent = parts.transport.take();

    assertThat(ids(sent.get(0))).containsExactly("1", "2", "3");
    assertThat(sent.subList(1, sent.size())).extracting(m -> m.path("scribe").path("id").asText())
        .as("a window of 4 in flight").containsExactly("4", "5", "6", "7");
    List<String> streamed = answerEachInTurn(parts, sent.subList(1, sent.size()));

    assertThat(streamed).containsExactly("4", "5", "6", "7", "8", "9", "10");
    Scribe next = parts.host.record("n11");
    parts.loop.run(() -> parts.outbound.push(next, next.toJson()));
    assertThat(parts.transport.take()).as("live once the stream reached the newest").hasSize(1);
  }

  /**
   * Answers each add_scribe sent, in turn, and whatever each answer makes the session send,
   * never with more than the window of 4 unanswered.
   *
   * @return the ids of the scribes sent, in order
   */
  private static List<String> answerEachInTurn(SessionParts parts, List<JsonNode> sent) {
    List<String> received = new ArrayList<>();
    ArrayDeque<JsonNode> inFlight = new ArrayDeque<>(sent);
    while (!inFlight.isEmpty()) {
      JsonNode request = inFlight.poll();
      received.add(request.path("scribe").path("id").asText());
      long id = request.path("id").asLong();
      parts.loop.run(() -> parts.requests.answer(id,
          Json.NODES.objectNode().put("type", "response").put("id", id).put("result", true)));
      inFlight.addAll(parts.transport.take());
      assertThat(parts.requests.count()).isLessThanOrEqualTo(4);
    }
    return received;
  }

  @Test
  void aBurstOfPushesPastTheWindowIsStreamedFromTheLogAndThenLiveAgain() {
    SessionParts parts = new SessionParts(3); // the window is 4
    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, null, true)));
    parts.transport.take(); // the empty page that makes it live

    List<Scribe> burst = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      burst.add(parts.host.record("n" + i));
    }
    parts.loop.run(() -> burst.forEach(scribe -> parts.outbound.push(scribe, scribe.toJson())));
    List<JsonNode> sent = parts.transport.take();
    assertThat(sent).extracting(m -> m.path("scribe").path("id").asText())
        .as("no more unanswered than the window").containsExactly("1", "2", "3", "4");

    List<String> received = answerEachInTurn(parts, sent);

    assertThat(received).as("every scribe, in order, once")
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    assertThat(parts.closes).isEmpty();
    Scribe next = parts.host.record("n11");
    parts.loop.run(() -> parts.outbound.push(next, next.toJson()));
    assertThat(parts.transport.take()).extracting(m -> m.path("scribe").path("id").asText())
        .as("pushed live again").containsExactly("11");
  }

  @Test
  void aPeerThatLeavesAPushUnansweredPastTheTimeoutIsClosed() {
    SessionParts parts = new SessionParts(3);
    parts.loop.run(() -> parts.outbound.answer(new InboundMessage.Sync(1, null, true)));
    parts.transport.take();
    for (int i = 1; i <= 10; i++) {
      Scribe scribe = parts.host.record("n" + i);
      parts.loop.run(() -> parts.outbound.push(scribe, scribe.toJson()));
    }
    assertThat(parts.closes).as("held back, not closed, while it may still answer").isEmpty();

    parts.scheduler.advance(parts.host.limits().requestTimeout().toMillis() + 1);

    assertThat(parts.closes).contains("stopped answering");
  }
}
