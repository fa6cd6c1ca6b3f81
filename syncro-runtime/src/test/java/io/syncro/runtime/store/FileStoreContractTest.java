package io.syncro.runtime.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract, on the file store. */
class FileStoreContractTest extends ScribeStoreContract {
  @TempDir Path directory;

  @Override
  protected ScribeStore openNew() {
    return FileStore.open(directory);
  }

  @Override
  protected ScribeStore reopen(ScribeStore closed) {
    closed.close();
    return FileStore.open(directory);
  }
}
