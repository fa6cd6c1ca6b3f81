package io.syncro.runtime;

/**
 * A store failed: a disk full or unwritable, Redis down, a data directory in use by another
 * process. Nothing was half-written; the operation may succeed when the cause is gone.
 */
public class StorageException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
