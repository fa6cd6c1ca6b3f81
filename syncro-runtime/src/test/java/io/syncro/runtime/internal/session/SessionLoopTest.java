package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One task at a time, in order, whatever thread hands them over; none left behind. */
class SessionLoopTest {
  private final ExecutorService elsewhere = Executors.newFixedThreadPool(2);
  private final List<Boolean> releases = new ArrayList<>();

  @AfterEach
  void stop() {
    elsewhere.shutdownNow();
  }

  @Test
  void aTaskHandedOverFromInsideATaskRunsAfterItNotWithinIt() {
    SessionLoop loop = new SessionLoop(Runnable::run, releases::add);
    List<String> order = new ArrayList<>();

    loop.run(() -> {
      order.add("outer starts");
      loop.run(() -> order.add("inner"));
      loop.execute(() -> order.add("executed"));
      order.add("outer ends");
    });

    assertThat(order).containsExactly("outer starts", "outer ends", "inner", "executed");
    assertThat(releases).as("a reading thread may write the outbox itself").containsExactly(true);
  }

  @Test
  void executeNeverWaitsForABusyLoopAndTheHolderRunsTheTask() throws Exception {
    SessionLoop loop = new SessionLoop(elsewhere, released -> { });
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = new ArrayList<>();
    Thread reader = new Thread(() -> loop.run(() -> {
      holding.countDown();
      await().until(() -> release.getCount() == 0);
      order.add("first");
    }));
    reader.start();
    holding.await();

    loop.execute(() -> order.add("second")); // returns at once: the loop is busy

    assertThat(order).isEmpty();
    release.countDown();
    reader.join(10_000);
    assertThat(order).containsExactly("first", "second");
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() {
    SessionLoop loop = new SessionLoop(Runnable::run, released -> { });
    List<String> order = new ArrayList<>();

    loop.run(() -> {
      loop.execute(() -> {
        throw new IllegalStateException("boom");
      });
      loop.execute(() -> order.add("after"));
    });

    assertThat(order).containsExactly("after");
  }

  @Test
  void underContentionEveryTaskRunsOnceAndNeverTwoAtATime() throws Exception {
    SessionLoop loop = new SessionLoop(elsewhere, released -> { });
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    int[] unguarded = new int[1];
    Runnable task = () -> {
      if (running.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      unguarded[0]++; // safe only if tasks never overlap and each sees the last one's write
      ran.incrementAndGet();
      running.decrementAndGet();
    };
    ExecutorService callers = Executors.newFixedThreadPool(4);
    for (int thread = 0; thread < 4; thread++) {
      boolean reader = thread == 0;
      callers.execute(() -> {
        for (int i = 0; i < 20_000; i++) {
          if (reader) {
            loop.run(task);
          } else {
            loop.execute(task);
          }
        }
      });
    }
    callers.shutdown();
    assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

    await().atMost(Duration.ofSeconds(30)).until(() -> ran.get() == 80_000);
    assertThat(overlaps.get()).isZero();
    loop.run(() -> assertThat(unguarded[0]).isEqualTo(80_000));
  }
}
