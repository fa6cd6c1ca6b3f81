package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.Syncro;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Java server and the original (Ruby) library's side of the wire, played from the frames the
 * original writes: its sync has no {@code page}; it writes a frame's length modulo 65,536, so
 * its answer with 700 offline scribes announces less than it sends; its records have integer
 * ids, and a field holds whatever was set, a number in a string field included.
 */
class OriginalPeerTest extends NodeTestSupport {

  /** The original's answer to a sync: every scribe in one response. */
  private static String answerWithCreates(long requestId, int scribes) {
    StringBuilder json = new StringBuilder("{\"type\":\"response\",\"id\":" + requestId + ",\"result\":[");
    for (int i = 1; i <= scribes; i++) {
      json.append(i == 1 ? "" : ",")
          .append("{\"klass\":\"Memo\",\"type\":\"create\",\"data\":{\"id\":\"r").append(i)
          .append("\",\"text\":\"written offline on the Ruby client, number ").append(i)
          .append("\",\"version\":1},\"id\":\"").append(i).append("\"}");
    }
    return json.append("]}").toString();
  }

  private static JsonNode syncRequestOf(RawPeer peer) {
    return peer.received().stream()
        .filter(message -> message.path("type").asText().equals("sync")).findFirst().orElse(null);
  }

  @Test
  void sevenHundredOfflineScribesInOneFrameOverSixtyFourKibibytesAllArrive() {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    RawPeer ruby = new RawPeer(server, "ruby");
    // The original syncs on connect, without "page": that marks it as an original peer.
    ruby.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");
    // The application syncs from its end too (an original peer does not sync in answer).
    ruby.session.sync();
    await().atMost(Duration.ofSeconds(10)).until(() -> syncRequestOf(ruby) != null);
    JsonNode syncRequest = syncRequestOf(ruby);

    String answer = answerWithCreates(syncRequest.path("id").asLong(), 700);
    assertThat(answer.length()).as("longer than a 2-byte length can say").isGreaterThan(65_535);
    List<JsonNode> replies = ruby.sendBytes(RawPeer.frame(answer)); // length modulo 65,536

    await().atMost(Duration.ofSeconds(30))
        .until(() -> server.repository(Memo.class, String.class).findAll().size() == 700);
    assertThat(server.repository(Memo.class, String.class).find("r700").orElseThrow().text)
        .isEqualTo("written offline on the Ruby client, number 700");
    assertThat(ruby.closedByNode()).isFalse();
    assertThat(ruby.received()).noneMatch(message -> message.path("type").asText().equals("error"));
    assertThat(server.clients()).anyMatch(client -> client.uid().equals("ruby")
        && "700".equals(client.cursor()));
    assertThat(replies).noneMatch(message -> message.path("type").asText().equals("error"));
  }

  @Test
  void integerIdsAndANumberInAStringFieldAreReadAsTheirText() {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    RawPeer ruby = new RawPeer(server, "ruby");
    ruby.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");

    // As the original writes Test.create!(text: 5), whose id the database made an integer.
    List<JsonNode> created = ruby.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\","
        + "\"type\":\"create\",\"data\":{\"id\":120,\"text\":5,\"version\":1},\"id\":\"3\"},\"id\":2}");
    List<JsonNode> updated = ruby.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\","
        + "\"type\":\"update\",\"data\":[120,{\"text\":\"renamed\"}],\"id\":\"4\"},\"id\":3}");

    assertThat(created).extracting(message -> message.toString())
        .containsExactly("{\"type\":\"response\",\"id\":2,\"result\":true}");
    assertThat(updated).extracting(message -> message.toString())
        .containsExactly("{\"type\":\"response\",\"id\":3,\"result\":true}");
    Memo memo = server.repository(Memo.class, String.class).find("120").orElseThrow();
    assertThat(memo.text).isEqualTo("renamed");
  }

  @Test
  void anOriginalPeerIsNeverAnsweredWithAnErrorItWouldExitOn() {
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .authorizer(Memo.class, change -> !change.proposed().text.contains("forbidden"))
        .rpc("Memo", "explode", (caller, args) -> {
          throw new IllegalStateException("a failing application method");
        })
        .build());
    RawPeer ruby = new RawPeer(server, "ruby");
    ruby.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");

    List<JsonNode> refused = ruby.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\","
        + "\"type\":\"create\",\"data\":{\"id\":1,\"text\":\"forbidden\",\"version\":1},\"id\":\"5\"},\"id\":2}");
    List<JsonNode> unfit = ruby.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\","
        + "\"type\":\"create\",\"data\":{\"id\":2,\"version\":\"two\"},\"id\":\"6\"},\"id\":3}");
    List<JsonNode> failedCall = ruby.send(
        "{\"type\":\"rpc\",\"klass\":\"Memo\",\"method\":\"explode\",\"args\":[],\"id\":4}");
    List<JsonNode> malformed = ruby.send("{\"type\":\"add_scribe\",\"id\":5}");

    assertThat(refused).extracting(JsonNode::toString)
        .contains("{\"type\":\"response\",\"id\":2,\"result\":true}");
    assertThat(unfit).extracting(JsonNode::toString)
        .containsExactly("{\"type\":\"response\",\"id\":3,\"result\":true}");
    assertThat(failedCall).extracting(JsonNode::toString)
        .containsExactly("{\"type\":\"response\",\"id\":4,\"result\":null}");
    assertThat(malformed).isEmpty();
    assertThat(ruby.received()).noneMatch(message -> message.path("type").asText().equals("error"));
    assertThat(server.repository(Memo.class, String.class).findAll()).isEmpty();
    assertThat(server.originalPeerRefusals()).isEqualTo(4);
    // A Java peer gets the errors, which it can act on.
    RawPeer java = new RawPeer(server, "java");
    java.send("{\"type\":\"sync\",\"from\":null,\"page\":true,\"id\":1}");
    assertThat(java.send("{\"type\":\"rpc\",\"klass\":\"Memo\",\"method\":\"explode\",\"args\":[],\"id\":9}"))
        .extracting(message -> message.path("type").asText()).containsExactly("error");
  }

  /** Waits for the node's next request of this type to the peer; returns it. */
  private static JsonNode awaitRequest(RawPeer peer, String type, int seenBefore) {
    await().atMost(Duration.ofSeconds(10)).until(() -> requestsOf(peer, type).size() > seenBefore);
    return requestsOf(peer, type).get(seenBefore);
  }

  private static List<JsonNode> requestsOf(RawPeer peer, String type) {
    return peer.received().stream().filter(message -> message.path("type").asText().equals(type))
        .toList();
  }

  @Test
  void upToDateAgainstAnOriginalPeerWhoseLastIdCountsThisNodesOwnScribes() throws Exception {
    Syncro node = closeLater(Syncro.builder().model(Memo.class).build());
    RawPeer ruby = new RawPeer(node, "ruby");
    ruby.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");
    node.repository(Memo.class, String.class).save(new Memo("mine", "sent to the original"));
    JsonNode push = awaitRequest(ruby, "add_scribe", 0);
    ruby.send("{\"type\":\"response\",\"id\":" + push.path("id").asLong() + ",\"result\":true}");

    // Nothing missing: the original's last id is this node's own scribe, stored there as 2.
    var nothingMissing = ruby.session.upToDate();
    JsonNode ask = awaitRequest(ruby, "rpc", 0);
    ruby.send("{\"type\":\"response\",\"id\":" + ask.path("id").asLong() + ",\"result\":\"2\"}");
    JsonNode sync = awaitRequest(ruby, "sync", 0);
    ruby.send("{\"type\":\"response\",\"id\":" + sync.path("id").asLong() + ",\"result\":[]}");
    assertThat(nothingMissing.get(10, TimeUnit.SECONDS)).isTrue();

    // Something missing: the original has a scribe from someone else.
    var somethingMissing = ruby.session.upToDate();
    ask = awaitRequest(ruby, "rpc", 1);
    ruby.send("{\"type\":\"response\",\"id\":" + ask.path("id").asLong() + ",\"result\":\"3\"}");
    sync = awaitRequest(ruby, "sync", 1);
    ruby.send("{\"type\":\"response\",\"id\":" + sync.path("id").asLong() + ",\"result\":["
        + "{\"klass\":\"Memo\",\"type\":\"create\",\"data\":{\"id\":\"theirs\",\"text\":\"new\","
        + "\"version\":1},\"id\":\"3\"}]}");
    assertThat(somethingMissing.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(node.repository(Memo.class, String.class).find("theirs")).isPresent();
  }

  @Test
  void aFrameThatCannotBeRecoveredClosesTheConnectionAtOnce() {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).maxRecoveredFrameBytes(70_000)
        .build());
    RawPeer ruby = new RawPeer(server, "ruby");
    ruby.send("{\"type\":\"sync\",\"from\":null,\"id\":1}");

    ruby.sendBytes(RawPeer.frame(answerWithCreates(7, 2_000))); // about 200 KB, over the bound

    assertThat(ruby.closedByNode()).as("closed at once, so that the peer reconnects").isTrue();
    assertThat(server.repository(Memo.class, String.class).findAll()).isEmpty();
  }
}
