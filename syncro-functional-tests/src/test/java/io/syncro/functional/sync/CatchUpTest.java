package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How bytes are split, how catch-ups report progress, and catch-ups cut in the middle. */
class CatchUpTest extends NodeTestSupport {
  private static void fill(Syncro node, int count, String prefix) {
    for (int i = 0; i < count; i++) {
      memos(node).save(new Memo(prefix + i, "memo " + i));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Pipe.Chunking.class)
  void framesSurviveAnySplit(Pipe.Chunking chunking) throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class).build());
    fill(server, 300, "s");
    fill(client, 200, "c");
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server", chunking));

    CompletableFuture<Void> first = pipe.first().sync();
    CompletableFuture<Void> second = pipe.second().sync();
    first.get(60, TimeUnit.SECONDS);
    second.get(60, TimeUnit.SECONDS);
    memos(server).save(new Memo("live", "pushed"));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(memos(client).findAll()).hasSize(501);
      assertThat(memos(server).findAll()).hasSize(501);
    });
  }

  @Test
  void aPeerThatDoesNotPageGetsTheRestAsAddScribeMessages() {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    fill(server, 2_000, "m");
    RawPeer original = new RawPeer(server, "original");

    // An original peer's sync: no "page", so everything comes, what does not fit as add_scribe.
    List<com.fasterxml.jackson.databind.JsonNode> received =
        new java.util.ArrayList<>(original.send("{\"type\":\"sync\",\"from\":null,\"id\":1}"));
    com.fasterxml.jackson.databind.JsonNode response = received.remove(0);
    int scribes = response.path("result").size();
    assertThat(response.path("total").asInt()).isEqualTo(2_000);
    assertThat(response.has("next")).isFalse();
    while (!received.isEmpty()) {
      com.fasterxml.jackson.databind.JsonNode message = received.remove(0);
      assertThat(message.path("type").asText()).isEqualTo("add_scribe");
      scribes++;
      received.addAll(original.send(
          "{\"type\":\"response\",\"id\":" + message.path("id").asLong() + ",\"result\":true}"));
    }

    assertThat(scribes).isEqualTo(2_000);
  }

  @Test
  void progressIsReportedUntilDoneEqualsTotal() throws Exception {
    List<long[]> progress = new CopyOnWriteArrayList<>();
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class)
        .progressListener((session, done, total) -> progress.add(new long[] {done, total}))
        .build());
    fill(server, 5_000, "m");
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));

    pipe.second().sync().get(60, TimeUnit.SECONDS);

    assertThat(progress).hasSize(5_000);
    assertThat(progress).allSatisfy(step -> assertThat(step[1]).isEqualTo(5_000));
    assertThat(progress.get(progress.size() - 1)).containsExactly(5_000, 5_000);
    assertThat(progress).extracting(step -> step[0]).isSorted();
  }

  @Test
  void anEmptyCatchUpCompletesAtOnce() throws Exception {
    List<long[]> progress = new CopyOnWriteArrayList<>();
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    Syncro client = closeLater(Syncro.builder().model(Memo.class)
        .progressListener((session, done, total) -> progress.add(new long[] {done, total}))
        .build());
    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));

    pipe.second().sync().get(10, TimeUnit.SECONDS);

    assertThat(progress).singleElement().satisfies(step -> assertThat(step).containsExactly(0, 0));
    assertThat(client.clients()).singleElement().satisfies(state -> assertThat(state.synced()).isTrue());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aCatchUpCutInTheMiddleResumesWithNothingAppliedTwice(Transport transport) throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    MemoryStore clientStore = new MemoryStore();
    AtomicReference<Link> current = new AtomicReference<>();
    Syncro client = closeLater(Syncro.builder().store(clientStore).model(Memo.class)
        .progressListener((session, done, total) -> {
          if (done == 3_000 && total == 10_000) {
            current.get().drop();
          }
        })
        .build());
    fill(server, 10_000, "m");

    Link first = closeLater(transport.connect(server, "server", client, "client"));
    current.set(first);
    CompletableFuture<Void> cut = first.second().sync();
    await().atMost(Duration.ofSeconds(60)).until(cut::isDone);
    assertThat(cut).isCompletedExceptionally();
    int appliedBeforeTheCut = memos(client).findAll().size();
    assertThat(appliedBeforeTheCut).isBetween(3_000, 9_999);

    Link second = closeLater(transport.connect(server, "server", client, "client"));
    current.set(second);
    second.second().sync().get(60, TimeUnit.SECONDS);

    assertThat(memos(client).findAll()).hasSize(10_000);
    // Every scribe applied on the client is recorded there once, as its relay: 10,000 relays
    // mean no scribe was applied twice.
    assertThat(clientStore.size()).isEqualTo(10_000);
  }
}
