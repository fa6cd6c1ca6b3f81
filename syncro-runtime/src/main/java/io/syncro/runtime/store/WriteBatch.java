package io.syncro.runtime.store;

import java.util.Arrays;

/**
 * The records one thread appended to a {@link FileStore} inside {@link ScribeStore#batch}, framed
 * and in order, until {@link LogFile} writes them to the log together. Guarded by the store's
 * monitor.
 */
final class WriteBatch {
  /** The thread whose batch this is; null when no batch is open. */
  private Thread owner;
  /** How deep the owner is in nested batches. */
  private int depth;
  private byte[] bytes = new byte[1 << 16];
  private int length;

  /**
   * Opens the batch for the calling thread, or nests in its own.
   *
   * @return false when another thread's batch is open: the caller's writes then go to the log
   *     one by one, as outside a batch
   */
  boolean enter() {
    Thread caller = Thread.currentThread();
    if (owner != null && owner != caller) {
      return false;
    }
    owner = caller;
    depth++;
    return true;
  }

  /** Leaves one level; true when that closed the batch, whose records must now be written. */
  boolean exit() {
    if (--depth > 0) {
      return false;
    }
    owner = null;
    return true;
  }

  /** Whether the calling thread's writes are held here. */
  boolean holdsWritesOfCaller() {
    return owner == Thread.currentThread();
  }

  void add(byte[] record) {
    if (length + record.length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + record.length));
    }
    System.arraycopy(record, 0, bytes, length, record.length);
    length += record.length;
  }

  /** The records held, framed, in order: {@code length()} bytes from the start. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** Forgets the records held once written; a large buffer is not kept for the next batch. */
  void clear() {
    length = 0;
    if (bytes.length > 1 << 22) {
      bytes = new byte[1 << 16];
    }
  }
}
