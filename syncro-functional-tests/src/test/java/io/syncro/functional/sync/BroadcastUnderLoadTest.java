package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.Syncro;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server broadcasts to many clients faster than they can take it: no client has more than a
 * window of pushes unanswered (the rest comes from the log as it answers), and one that stops
 * answering is closed when a push times out, reconnects and catches up. In the end every client
 * holds every change: nothing a closed session dropped is lost for good.
 *
 * <p>Some clients are made to stall: they stop reading once live, and the server must close them
 * however fast the others are.
 */
class BroadcastUnderLoadTest extends NodeTestSupport {
  private static final int CLIENTS = 200;
  private static final int CHANGES = 4_000;
  /** Every this many clients, one stops reading its first link once it is live. */
  private static final int STALLED_EVERY = 10;

  /** One client node, kept connected: reconnected and synced whenever its link closes. */
  private final class Client {
    final String uid;
    final Syncro node;
    /** How its transport hands bytes over: one at a time makes a slow reader. */
    final Pipe.Chunking chunking;
    volatile Pipe link;

    Client(String uid, Pipe.Chunking chunking) {
      this.uid = uid;
      this.chunking = chunking;
      this.node = closeLater(Syncro.builder().model(Memo.class).build());
    }

    boolean connectIfClosed(Syncro server) {
      Pipe current = link;
      if (current != null && current.first().isOpen() && current.second().isOpen()) {
        return false;
      }
      if (current != null) {
        current.close();
      }
      connect(server);
      return true;
    }

    /** Links the client to the server; completes when both ends have synced. */
    CompletableFuture<Void> connect(Syncro server) {
      Pipe fresh = new Pipe(server, uid, node, "server", chunking);
      link = fresh;
      return CompletableFuture.allOf(fresh.second().sync(), fresh.first().sync());
    }

    int held() {
      return memos(node).findAll().size();
    }
  }

  @Test
  void everyClientEndsWithEveryChangeThoughBusyOnesWereClosed() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .maxPendingRequests(10)
        .catchUpWindow(4)
        .requestTimeout(Duration.ofSeconds(3))
        .syncPageSize(50)
        .build());
    List<Client> clients = new ArrayList<>();
    List<Pipe> stalledLinks = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Client client = new Client("client-" + i, i % 2 == 0 ? Pipe.Chunking.FRAMES : Pipe.Chunking.ONE_BYTE);
      CompletableFuture<Void> synced = client.connect(server);
      if (i % STALLED_EVERY == 0) {
        // Live once both syncs are answered: from then on the server only pushes to it.
        synced.get(30, TimeUnit.SECONDS);
        client.link.stopDeliveringToSecond();
        stalledLinks.add(client.link);
      }
      clients.add(client);
    }

    AtomicInteger reconnects = new AtomicInteger();
    AtomicBoolean supervising = new AtomicBoolean(true);
    Thread supervisor = new Thread(() -> {
      while (supervising.get()) {
        for (Client client : clients) {
          if (client.connectIfClosed(server)) {
            reconnects.incrementAndGet();
          }
        }
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
      }
    }, "supervisor");
    supervisor.start();
    closeLater(() -> {
      supervising.set(false);
      supervisor.join(10_000);
      clients.forEach(client -> client.link.close());
    });

    // As fast as the server can record: the slow readers fall behind and are paced, the stalled
    // ones are closed and reconnect while the broadcast goes on, with backlogs that span several
    // pages. Each close is logged, on purpose: kept out of the output, and counted.
    String text = "to everyone ".repeat(20);
    CapturedLog log = CapturedLog.quiet();
    try (log) {
      for (int i = 0; i < CHANGES; i++) {
        memos(server).save(new Memo("m" + i, text));
      }

      await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(clients).allSatisfy(client ->
              assertThat(client.held()).as(client.uid).isEqualTo(CHANGES)));
    }
    long closedForLeavingRequests = log.linesContaining("unanswered past the request timeout;"
        + " closing its session");
    System.out.printf("BroadcastUnderLoadTest: %d reconnects of busy clients, %d sessions closed"
        + " for leaving a push unanswered (logged, kept out of the output)%n", reconnects.get(),
        closedForLeavingRequests);
    assertThat(closedForLeavingRequests).as("the closes are logged").isPositive();
    assertThat(log.text().lines().filter(line -> line.contains(" ERROR ")))
        .as("errors logged: exceptions the node did not expect").isEmpty();
    assertThat(stalledLinks)
        .as("the server closes a session that leaves its pushes unanswered")
        .allSatisfy(stalled -> assertThat(stalled.first().isOpen()).isFalse());
    assertThat(reconnects.get())
        .as("every closed session reconnected, or this test proves nothing")
        .isGreaterThanOrEqualTo(stalledLinks.size());
  }
}
