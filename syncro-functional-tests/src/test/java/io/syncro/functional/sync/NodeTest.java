package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.ScribeTooLargeException;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.SyncroConfigurationException;
import io.syncro.runtime.store.MemoryStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node's own API: RPC, suspending recording, limits at record time, misconfiguration. */
class NodeTest extends NodeTestSupport {
  @Test
  void lastScribeIdIsTheOriginalsUpToDateShortcut() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));

    JsonNode none = pipe.second().rpc(Syncro.DEFAULT_RPC_CLASS, Syncro.LAST_SCRIBE_ID_METHOD)
        .get(10, TimeUnit.SECONDS);
    memos(server).save(new Memo("m1", "one"));
    memos(server).save(new Memo("m2", "two"));
    JsonNode last = pipe.second().rpc(Syncro.DEFAULT_RPC_CLASS, Syncro.LAST_SCRIBE_ID_METHOD)
        .get(10, TimeUnit.SECONDS);

    assertThat(none.asInt()).isZero();
    assertThat(last.asText()).isEqualTo("2");
  }

  @Test
  void applicationRpcHandlersAnswerWithTheCallersUid() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .rpc("Greeter", "greet", (caller, args) -> "hello " + args.path(0).asText() + " from " + caller)
        .build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe pipe = closeLater(new Pipe(server, "client-7", client, "server"));

    assertThat(pipe.second().rpc("Greeter", "greet", "Ada").get(10, TimeUnit.SECONDS).asText())
        .isEqualTo("hello Ada from client-7");
    CompletableFuture<JsonNode> missing = pipe.second().rpc("Greeter", "shout");
    assertThatThrownBy(() -> missing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RemoteErrorException.class)
        .satisfies(e -> assertThat(((RemoteErrorException) e).code()).isEqualTo(405))
        .satisfies(e -> assertThat(((RemoteErrorException) e).errorCode())
            .isEqualTo(io.syncro.runtime.ErrorCode.NO_SUCH_METHOD));
  }

  @Test
  void setUpMistakesAreConfigurationErrors() {
    assertThatThrownBy(() -> Syncro.builder().syncPageSize(0))
        .isInstanceOf(SyncroConfigurationException.class).hasMessageContaining("syncPageSize");
    assertThatThrownBy(() -> Syncro.builder().catchUpWindow(2_000).build())
        .isInstanceOf(SyncroConfigurationException.class).hasMessageContaining("catchUpWindow");
  }

  @Test
  void theFuturesASessionReturnsAreTheCallers() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .authenticator(token -> java.util.Optional.empty()).build());
    io.syncro.runtime.Session stranger = server.accept(new RawSink());

    stranger.authenticated().complete("mallory");

    assertThat(stranger.authenticated()).isNotDone();
    assertThat(stranger.clientUid()).isNull();
    assertThatThrownBy(() -> stranger.sync().get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(SyncroConfigurationException.class);
  }

  @Test
  void changesInsideWithoutRecordingMakeNoScribes() {
    MemoryStore store = new MemoryStore();
    Syncro node = closeLater(Syncro.builder().store(store).model(Memo.class).build());

    node.withoutRecording(() -> memos(node).save(new Memo("quiet", "not recorded")));
    memos(node).save(new Memo("loud", "recorded"));

    assertThat(memos(node).findAll()).hasSize(2);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.since("anyone", null, 10)).singleElement()
        .satisfies(scribe -> assertThat(scribe.data().path("id").asText()).isEqualTo("loud"));
  }

  @Test
  void aChangeTooLargeForAFrameIsRefusedWhenRecorded() {
    MemoryStore store = new MemoryStore();
    Syncro node = closeLater(Syncro.builder().store(store).model(Memo.class).build());

    assertThatThrownBy(() -> memos(node).save(new Memo("big", "x".repeat(70_000))))
        .isInstanceOf(ScribeTooLargeException.class)
        .hasMessageContaining("65535");
    assertThat(store.size()).isZero();
    assertThat(memos(node).findAll()).isEmpty();

    memos(node).save(new Memo("fits", "x".repeat(65_000)));
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aClassThatIsNotAModelOfTheNodeIsAClearError() {
    Syncro node = closeLater(Syncro.builder().model(Memo.class).build());

    assertThatThrownBy(() -> node.repository(io.syncro.functional.Note.class, String.class))
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining("add .model(Note.class)");
    assertThatThrownBy(() -> node.repository(Memo.class, Long.class))
        .isInstanceOf(SyncroConfigurationException.class);
  }

  @Test
  void aPeerSendingTooFastIsThrottledAndNothingIsLost() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .maxScribesPerSecond(10).resyncDelay(Duration.ofMillis(100)).build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));
    pipe.first().sync().get(10, TimeUnit.SECONDS);
    pipe.second().sync().get(10, TimeUnit.SECONDS);

    for (int i = 0; i < 200; i++) {
      memos(client).save(new Memo("m" + i, "pushed faster than the server takes"));
    }

    // Most pushes are refused ("too many scribes"); the server then syncs, and a catch-up it
    // asked for is never throttled: every memo arrives.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(
        () -> assertThat(memos(server).findAll()).hasSize(200));
    assertThat(pipe.sentToSecond())
        .anySatisfy(json -> assertThat(json).contains("too many scribes"));
  }

  @Test
  void aSessionKnowsWhenItsPeerWentAway() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).requestTimeout(Duration.ofSeconds(30)).build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));
    pipe.second().sync().get(10, TimeUnit.SECONDS);

    pipe.drop();

    assertThat(server.sessions()).isEmpty();
    assertThat(pipe.second().ping()).isCompletedExceptionally();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.sessions().isEmpty());
  }
}
