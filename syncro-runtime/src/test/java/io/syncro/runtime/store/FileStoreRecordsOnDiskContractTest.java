package io.syncro.runtime.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract, on a file store that keeps its records only in its log; reopened the
 * other way each time, since the log is the same either way.
 */
class FileStoreRecordsOnDiskContractTest extends ScribeStoreContract {
  @TempDir Path directory;
  private boolean onDisk = true;

  @Override
  protected ScribeStore openNew() {
    return FileStore.open(directory, FileStore.Durability.DISK, FileStore.Records.ON_DISK);
  }

  @Override
  protected ScribeStore reopen(ScribeStore closed) {
    closed.close();
    onDisk = !onDisk;
    return FileStore.open(directory, FileStore.Durability.DISK,
        onDisk ? FileStore.Records.ON_DISK : FileStore.Records.IN_MEMORY);
  }
}
