package io.syncro.functional.sync;

import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.RedisStore;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.testing.TestRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** What the session tests share: closing what they open, in reverse order, and their memos. */
abstract class NodeTestSupport {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  /** Closes the thing (a node, a link, a store) when the test ends. */
  protected <T extends AutoCloseable> T closeLater(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /**
   * A new store of the kind named ("memory", "file" in {@code directory}, or "redis" under a
   * prefix of its own, emptied at the end), closed when the test ends.
   */
  protected ScribeStore store(String kind, Path directory) {
    return switch (kind) {
      case "memory" -> closeLater(new MemoryStore());
      case "file" -> closeLater(FileStore.open(directory));
      // A file store keeping its records only in its log, as a device would open it.
      case "disk" -> closeLater(FileStore.open(directory, FileStore.Durability.DISK,
          FileStore.Records.ON_DISK));
      case "redis" -> {
        RedisStore redis = RedisStore.builder().url(TestRedis.url())
            .prefix(TestRedis.uniquePrefix(getClass().getSimpleName())).build();
        closeLater(() -> {
          redis.deleteEverything();
          redis.close();
        });
        yield redis;
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /**
   * Connects {@code client} to {@code server} over loopback TCP, as {@code uid} there, and waits
   * until both have caught up with the other; closed when the test ends.
   */
  protected TcpLink connect(Syncro server, String uid, Syncro client) throws Exception {
    TcpLink link = closeLater(new TcpLink(server, "server", client, uid));
    var fromServer = link.first().sync();
    var fromClient = link.second().sync();
    fromServer.get(60, TimeUnit.SECONDS);
    fromClient.get(60, TimeUnit.SECONDS);
    return link;
  }

  protected static SyncedRepository<Memo, String> memos(Syncro node) {
    return node.repository(Memo.class, String.class);
  }
}
