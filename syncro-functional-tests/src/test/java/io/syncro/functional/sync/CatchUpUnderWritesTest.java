package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.StorageException;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.RedisStore;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.testing.RedisServerProcess;
import io.syncro.runtime.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer reconnects with a backlog while both sides keep saving, about one change a millisecond
 * each: every change, made before, during or after the catch-up, reaches the other side, in both
 * directions, and live pushes resume without another reconnect.
 */
class CatchUpUnderWritesTest extends NodeTestSupport {
  @TempDir Path directory;

  enum StoreKind {
    MEMORY,
    FILE,
    REDIS
  }

  static java.util.stream.Stream<Arguments> cases() {
    return java.util.stream.Stream.of(
        Arguments.of(StoreKind.MEMORY, 3_000, Transport.PIPE),
        Arguments.of(StoreKind.MEMORY, 10_000, Transport.TCP),
        Arguments.of(StoreKind.FILE, 3_000, Transport.TCP),
        Arguments.of(StoreKind.FILE, 10_000, Transport.TCP),
        Arguments.of(StoreKind.REDIS, 3_000, Transport.TCP),
        Arguments.of(StoreKind.REDIS, 10_000, Transport.TCP));
  }

  private ScribeStore store(StoreKind kind, String name) {
    switch (kind) {
      case FILE:
        return closeLater(FileStore.open(directory.resolve(name), FileStore.Durability.OPERATING_SYSTEM));
      case REDIS:
        RedisStore redis = TestRedis.newStore("catch-up-" + name);
        return closeLater(new ClosingRedis(redis)).store();
      default:
        return new MemoryStore();
    }
  }

  /** Deletes a test's keys and closes its store. */
  private record ClosingRedis(RedisStore store) implements AutoCloseable {
    @Override
    public void close() {
      store.deleteEverything();
      store.close();
    }
  }

  private Syncro node(ScribeStore store) {
    return closeLater(Syncro.builder().store(store).model(Memo.class)
        .resyncDelay(Duration.ofMillis(100)).build());
  }

  /** Saves a memo about every millisecond on its own thread until stopped; counts them. */
  private static final class Writer implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread thread;

    Writer(Syncro node, String prefix) {
      thread = new Thread(() -> {
        while (running.get()) {
          int n = written.get();
          try {
            memos(node).save(new Memo(prefix + "-live-" + n, "written during the catch-up"));
            written.incrementAndGet();
          } catch (StorageException e) {
            failures.incrementAndGet(); // the store is down: this save left nothing; try again
          }
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
      }, "writer-" + prefix);
      thread.start();
    }

    int written() {
      return written.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }
  }

  private static Map<String, Memo> contents(Syncro node) {
    Map<String, Memo> byId = new TreeMap<>();
    memos(node).findAll().forEach(memo -> byId.put(memo.id, memo));
    return byId;
  }

  @ParameterizedTest(name = "{0} store, {1} scribes each way, over {2}")
  @MethodSource("cases")
  void changesMadeDuringACatchUpAllArriveAndPushesResume(
      StoreKind kind, int backlog, Transport transport) throws Exception {
    Syncro server = node(store(kind, "server"));
    Syncro client = node(store(kind, "client"));
    for (int i = 0; i < backlog; i++) {
      memos(server).save(new Memo("server-offline-" + i, "made while the client was away"));
      memos(client).save(new Memo("client-offline-" + i, "made while offline"));
    }

    Writer onServer = closeLater(new Writer(server, "server"));
    Writer onClient = closeLater(new Writer(client, "client"));
    Link link = closeLater(transport.connect(server, "server", client, "client"));
    CompletableFuture<Void> clientCaughtUp = link.second().sync();
    CompletableFuture<Void> serverCaughtUp = link.first().sync();
    clientCaughtUp.get(120, TimeUnit.SECONDS);
    serverCaughtUp.get(120, TimeUnit.SECONDS);
    // Keep writing a while after the catch-up: these can only arrive as live pushes.
    int writtenAtCatchUp = onServer.written() + onClient.written();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> onServer.written() + onClient.written() > writtenAtCatchUp + 300);
    onServer.close();
    onClient.close();

    int expected = 2 * backlog + onServer.written() + onClient.written();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(memos(server).findAll()).hasSize(expected);
      assertThat(memos(client).findAll()).hasSize(expected);
    });
    assertThat(contents(client)).isEqualTo(contents(server));
    assertThat(link.first().isOpen()).as("the same connection carried everything").isTrue();
  }

  @Test
  void aRedisRestartDuringTheCatchUpLosesNothingAndPushesResume() throws Exception {
    RedisServerProcess redis = RedisServerProcess.start(directory);
    closeLater(redis);
    RedisStore serverStore = closeLater(new ClosingRedis(RedisStore.builder().url(redis.url())
        .prefix(TestRedis.uniquePrefix("restart")).build())).store();
    Syncro server = node(serverStore);
    Syncro client = node(new MemoryStore());
    for (int i = 0; i < 3_000; i++) {
      memos(server).save(new Memo("server-offline-" + i, "made while the client was away"));
      memos(client).save(new Memo("client-offline-" + i, "made while offline"));
    }

    Writer onServer = closeLater(new Writer(server, "server"));
    Writer onClient = closeLater(new Writer(client, "client"));
    Link link = closeLater(Transport.TCP.connect(server, "server", client, "client"));
    link.second().sync();
    link.first().sync();
    redis.kill();
    await().atMost(Duration.ofSeconds(20)).until(() -> onServer.failures.get() > 50);
    redis.startAgain();
    int writtenAfterRestart = onServer.written() + onClient.written();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> onServer.written() + onClient.written() > writtenAfterRestart + 300);
    onServer.close();
    onClient.close();

    int expected = 2 * 3_000 + onServer.written() + onClient.written();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(memos(server).findAll()).hasSize(expected);
      assertThat(memos(client).findAll()).hasSize(expected);
    });
    assertThat(contents(client)).isEqualTo(contents(server));
  }
}
