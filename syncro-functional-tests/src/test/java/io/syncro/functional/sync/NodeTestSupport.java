package io.syncro.functional.sync;

import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import java.util.ArrayList;
import java.util.List;
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

  protected static SyncedRepository<Memo, String> memos(Syncro node) {
    return node.repository(Memo.class, String.class);
  }
}
