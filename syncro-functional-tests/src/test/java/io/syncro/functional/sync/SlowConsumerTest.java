package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading: no more than a window of pushes is sent it unanswered, and once one
 * times out its session is closed; the node and its other peers never wait for it, and it
 * catches up when it comes back.
 */
class SlowConsumerTest extends NodeTestSupport {

  /**
   * A transport whose peer reads the answer to its sync and then nothing more: every later send
   * blocks until the transport is closed.
   */
  private static final class Stuck implements Connection {
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger sends = new AtomicInteger();

    @Override
    public void send(byte[] bytes) {
      if (sends.incrementAndGet() == 1) {
        return;
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the connection is closed");
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void aPeerThatNeverReadsIsCutOffAndTheOthersCarryOn() throws Exception {
    // Pushes stop at a window of unanswered ones, so the stuck peer's queue stays small: what
    // closes it is its silence, a push unanswered for the request timeout.
    Syncro server = closeLater(Syncro.builder().model(Memo.class)
        .maxQueuedBytes(256 * 1024).requestTimeout(Duration.ofSeconds(3)).build());
    Syncro healthy = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe link = closeLater(new Pipe(server, "healthy", healthy, "server"));
    link.first().sync().get(10, TimeUnit.SECONDS);
    link.second().sync().get(10, TimeUnit.SECONDS);
    Stuck stuck = new Stuck();
    Session slow = server.connect("slow", stuck);
    // Answering its sync makes the session live: from then on every change is pushed to it.
    slow.receiveData(RawPeer.frame("{\"type\":\"sync\",\"from\":null,\"id\":1}"));
    assertThat(stuck.sends).hasValue(1);

    // In batches the healthy peer takes in before the next, so that only the stuck one's queue
    // grows past the limit, however loaded the machine running the test is.
    for (int batch = 0; batch < 20; batch++) {
      for (int i = batch * 100; i < (batch + 1) * 100; i++) {
        memos(server).save(new Memo("m" + i, "x".repeat(200)));
      }
      int saved = (batch + 1) * 100;
      await().atMost(Duration.ofSeconds(20)).until(() -> memos(healthy).findAll().size() == saved);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> !slow.isOpen());
    assertThat(stuck.closed.getCount()).as("its transport was closed").isZero();
    assertThat(server.sessions()).extracting(Session::clientUid).containsExactly("healthy");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(
        () -> assertThat(memos(healthy).findAll()).hasSize(2_000));

    // Back, reading this time: it catches up on everything it missed.
    Syncro returning = closeLater(Syncro.builder().model(Memo.class).build());
    Pipe again = closeLater(new Pipe(server, "slow", returning, "server"));
    again.second().sync().get(30, TimeUnit.SECONDS);
    assertThat(memos(returning).findAll()).hasSize(2_000);
  }
}
