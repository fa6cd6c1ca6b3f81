package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.ScribeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How bytes are split, how catch-ups report progress, and catch-ups cut in the middle. */
class CatchUpTest extends NodeTestSupport {
  @TempDir Path directory;

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

  /**
   * A server applies each page of a client's catch-up as one batch of its store: the page's
   * scribes reach the other connected clients once written, all of them, in order, and stay
   * after the server restarts.
   */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "file", "disk"})
  void aPageCaughtUpFromOneClientReachesTheOthersInOrderAndIsKept(String storeKind)
      throws Exception {
    ScribeStore serverStore = store(storeKind, directory.resolve("server"));
    Syncro server = closeLater(Syncro.builder().store(serverStore).model(Memo.class).build());
    Syncro reader = closeLater(Syncro.builder().model(Memo.class).build());
    List<String> arrived = new CopyOnWriteArrayList<>();
    memos(reader).onPeerChange(change -> arrived.add(change.id()));
    connect(server, "reader", reader);
    Syncro writer = closeLater(Syncro.builder().model(Memo.class).build());
    fill(writer, 3_000, "w"); // offline: the server gets them as a catch-up, page by page

    connect(server, "writer", writer);

    List<String> inOrder = java.util.stream.IntStream.range(0, 3_000)
        .mapToObj(n -> "w" + n).toList();
    await().atMost(Duration.ofSeconds(60)).until(() -> arrived.size() >= 3_000);
    assertThat(arrived).containsExactlyElementsOf(inOrder);
    if (!storeKind.equals("memory")) {
      server.close();
      serverStore.close();
      try (ScribeStore reopened = store(storeKind, directory.resolve("server"))) {
        assertThat(reopened.objectCount("Memo")).isEqualTo(3_000);
        assertThat(reopened.client("writer").cursor()).isNotNull();
      }
    }
  }

  /**
   * A client's listener hears of each change of a catch-up once the page that brought it is
   * written to disk: never of a change a crash could still take back. The page stays one write
   * of the store (the listener's reads of the record do not write it change by change).
   */
  @ParameterizedTest
  @ValueSource(strings = {"file", "disk"})
  void aListenerHearsOfACatchUpsChangesOnceTheirPageIsWritten(String storeKind)
      throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    fill(server, 100, "m"); // one page
    Path clientDirectory = directory.resolve("client");
    ScribeStore clientStore = store(storeKind, clientDirectory);
    Syncro client = closeLater(Syncro.builder().store(clientStore).model(Memo.class).build());
    Path log = clientDirectory.resolve("syncro.log");
    List<Long> logSizeWhenTold = new CopyOnWriteArrayList<>();
    List<String> toldAndOnDisk = new CopyOnWriteArrayList<>();
    memos(client).onPeerChange(change -> {
      try {
        String onDisk = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        logSizeWhenTold.add((long) onDisk.length());
        change.record().ifPresent(memo -> toldAndOnDisk.add(memo.id + " " + memo.text + " "
            + (onDisk.contains("\"" + memo.id + "\"") ? "on disk" : "not on disk")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    Pipe pipe = closeLater(new Pipe(server, "client", client, "server"));
    pipe.second().sync().get(60, TimeUnit.SECONDS);

    assertThat(toldAndOnDisk).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
        .mapToObj(n -> "m" + n + " memo " + n + " on disk").toList());
    assertThat(logSizeWhenTold).as("the log's size on disk as each change was told")
        .containsOnly(logSizeWhenTold.get(0));
  }

  /**
   * A burst of saves outruns a live client's answers: its session is not closed for leaving too
   * many pushes unanswered; the rest comes from the log, a window at a time, and then it is live
   * again.
   */
  @Test
  void aBurstOfSavesReachesALiveClientWhoseSessionStaysOpen() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class).build());
    Syncro reader = closeLater(Syncro.builder().model(Memo.class).build());
    List<String> arrived = new CopyOnWriteArrayList<>();
    memos(reader).onPeerChange(change -> arrived.add(change.id()));
    connect(server, "reader", reader);

    fill(server, 5_000, "b");

    await().atMost(Duration.ofSeconds(60)).until(() -> arrived.size() >= 5_000);
    assertThat(arrived).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 5_000).mapToObj(n -> "b" + n).toList());
    memos(server).save(new Memo("after", "pushed live"));
    await().atMost(Duration.ofSeconds(60)).until(() -> arrived.contains("after"));
    assertThat(server.sessions()).hasSize(1);
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
