package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.SyncroConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code auth} extension: a node that requires it answers nothing else until it succeeds. */
class AuthenticationTest extends NodeTestSupport {
  private static final Map<String, String> TOKENS = Map.of("token-of-alice", "alice");

  private Syncro server() {
    return closeLater(Syncro.builder().model(Memo.class)
        .authenticator(token -> Optional.ofNullable(TOKENS.get(token)))
        .build());
  }

  /** A raw peer on an accepted (not yet authenticated) session. */
  private static final class Stranger {
    final RawSink sink = new RawSink();
    final Session session;

    Stranger(Syncro node) {
      session = node.accept(sink);
    }

    List<JsonNode> send(String json) {
      return sink.exchange(session, json);
    }
  }

  @Test
  void beforeAuthenticatingEveryRequestGets401AndNothingIsSent() {
    Syncro server = server();
    memos(server).save(new Memo("m1", "for authenticated clients only"));
    Stranger stranger = new Stranger(server);

    for (String request : List.of(
        "{\"type\":\"sync\",\"from\":null,\"id\":1}",
        "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"create\",\"data\":{\"id\":\"x\"}},\"id\":2}",
        "{\"type\":\"rpc\",\"klass\":\"Syncro::RPC::Default\",\"method\":\"last_scribe_id\",\"args\":[],\"id\":3}",
        "{\"type\":\"noop\",\"id\":4}")) {
      assertThat(stranger.send(request)).as(request).singleElement().satisfies(error -> {
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("code").asInt()).isEqualTo(401);
      });
    }
    memos(server).save(new Memo("m2", "not pushed to strangers"));

    assertThat(stranger.sink.received()).hasSize(4);
    assertThat(memos(server).findAll()).hasSize(2);
    assertThat(server.sessions()).isEmpty();
  }

  @Test
  void anUnauthenticatedSessionCannotSyncYet() {
    Stranger stranger = new Stranger(server());

    assertThat(stranger.session.sync()).isCompletedExceptionally();
    assertThat(stranger.sink.received()).isEmpty();
  }

  @Test
  void tooManyBadTokensCloseTheSession() {
    Syncro server = server();
    Stranger stranger = new Stranger(server);

    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(stranger.send("{\"type\":\"auth\",\"token\":\"guess-" + attempt + "\",\"id\":" + attempt + "}"))
          .singleElement().satisfies(error -> assertThat(error.path("code").asInt()).isEqualTo(401));
    }

    assertThat(stranger.session.isOpen()).isFalse();
    assertThat(stranger.sink.closed()).isTrue();
    assertThat(stranger.session.authenticated()).isCompletedExceptionally();
  }

  @Test
  void aClientAuthenticatesThenSyncsAsThatClient() throws Exception {
    Syncro server = server();
    memos(server).save(new Memo("m1", "waiting for alice"));
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe pipe = closeLater(Pipe.accepted(server, client, "server"));
    pipe.first().authenticated().thenRun(pipe.first()::sync);

    assertThat(pipe.second().authenticate("token-of-alice").get(10, TimeUnit.SECONDS)).isEqualTo("alice");
    pipe.second().sync().get(10, TimeUnit.SECONDS);

    assertThat(memos(client).findAll()).extracting(memo -> memo.id).containsExactly("m1");
    assertThat(pipe.first().clientUid()).isEqualTo("alice");
    assertThat(server.sessions()).extracting(Session::clientUid).containsExactly("alice");
    memos(client).save(new Memo("c1", "from alice"));
    await().atMost(Duration.ofSeconds(10)).until(() -> memos(server).find("c1").isPresent());
    assertThat(server.clients()).extracting(state -> state.uid()).containsExactly("alice");
  }

  @Test
  void aBadTokenFailsTheCallersFuture() {
    Syncro server = server();
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe pipe = closeLater(Pipe.accepted(server, client, "server"));

    assertThatThrownBy(() -> pipe.second().authenticate("stolen").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RemoteErrorException.class)
        .satisfies(e -> assertThat(((RemoteErrorException) e).code()).isEqualTo(401));
  }

  @Test
  void acceptingNeedsAnAuthenticator() {
    Syncro node = closeLater(Syncro.builder().model(Memo.class).build());

    assertThatThrownBy(() -> node.accept(bytes -> { }))
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining("authenticator");
  }

  @Test
  void beforeAuthenticatingOnlySmallFramesAreTakenAndBufferedBytesShareOneBound() {
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .authenticator(token -> Optional.ofNullable(TOKENS.get(token)))
        .maxUnauthenticatedFrameBytes(4_096)
        .maxUnauthenticatedBytes(65_535)
        .build());
    // Announces a frame of 4,000 bytes and sends 3,000 of them: a partial frame of 3,000 bytes.
    byte[] partial = new byte[2 + 3_000];
    partial[0] = 0x0F;
    partial[1] = (byte) 0xA0;
    java.util.Arrays.fill(partial, 2, partial.length, (byte) ' ');

    List<Session> held = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Session session = server.accept(new RawSink());
      session.receiveData(partial);
      held.add(session);
    }
    // 21 of 3,000 bytes fit in 65,535; the rest were closed as they went over.
    assertThat(held).filteredOn(Session::isOpen).hasSize(21);

    // Closed connections give their share back; a frame too long for a stranger is refused.
    held.stream().filter(Session::isOpen).limit(5).forEach(Session::disconnect);
    for (int i = 0; i < 5; i++) {
      Session session = server.accept(new RawSink());
      session.receiveData(partial);
      assertThat(session.isOpen()).isTrue();
    }
    Session greedy = server.accept(new RawSink());
    greedy.receiveData(new byte[] {0x10, 0x01, '{'});
    assertThat(greedy.isOpen()).as("a frame of 4,097 bytes before auth").isFalse();

    // A peer that authenticates may then send frames of any accepted length.
    Stranger stranger = new Stranger(server);
    stranger.send("{\"type\":\"auth\",\"token\":\"token-of-alice\",\"id\":1}");
    List<JsonNode> answers = stranger.send("{\"type\":\"rpc\",\"klass\":\"Nothing\",\"method\":\"m\",\"args\":[\""
        + "x".repeat(10_000) + "\"],\"id\":2}");
    assertThat(stranger.session.isOpen()).isTrue();
    assertThat(answers).singleElement().satisfies(error -> assertThat(error.path("code").asInt()).isEqualTo(404));
  }
}
