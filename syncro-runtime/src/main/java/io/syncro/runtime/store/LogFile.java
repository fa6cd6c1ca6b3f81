package io.syncro.runtime.store;

import io.syncro.runtime.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FileStore}'s log file and where it ends: each record appended is written at once, or
 * held in the calling thread's batch ({@link WriteBatch}) and written with the rest of it; it is
 * forced to disk as the durability says; a failed write is cut back off. Anything that reads the
 * log writes what a batch holds first, so the file always holds what the store's index says.
 * Read and written through a {@link RandomAccessFile}, not an interruptible
 * {@code FileChannel}: a caller's thread being interrupted must not close the log for every
 * other thread. Guarded by the store's monitor.
 */
final class LogFile {
  private static final Logger log = LoggerFactory.getLogger(LogFile.class);

  private final Path directory;
  private final FileStore.Durability durability;
  private RandomAccessFile file;
  /** Where the next record goes: the file's end, plus what the batch holds. */
  private long size;
  /** Set when a failed write could not be undone: the log's end is unknown, so no more writes. */
  private boolean broken;
  private final WriteBatch batch = new WriteBatch();

  LogFile(Path directory, RandomAccessFile file, FileStore.Durability durability) {
    this.directory = directory;
    this.file = file;
    this.durability = durability;
  }

  /** The file's length as found on open, torn records included. */
  long lengthOnDisk() throws IOException {
    return file.length();
  }

  /** The log, read on open, is valid up to {@code end}: whatever follows is cut off. */
  void validUpTo(long end) throws IOException {
    if (end < file.length()) {
      file.setLength(end);
      file.getFD().sync();
    }
    size = end;
  }

  /** Where the next record goes; records a batch holds are counted in. */
  long size() {
    return size;
  }

  boolean isBroken() {
    return broken;
  }

  /**
   * Appends one framed record: held when the calling thread's batch is open, else written after
   * whatever another thread's batch holds, and forced to disk with {@code DISK} durability. A
   * failed write is undone by cutting the log back to where it was, so no torn record stays
   * behind a later one.
   *
   * @return where the record starts
   */
  long append(byte[] record) {
    long start = size;
    if (batch.holdsWritesOfCaller()) {
      batch.add(record);
      size = start + record.length;
      return start;
    }
    writeBatched(); // another thread's batch goes first: the log keeps the order of the index
    try {
      file.seek(start);
      file.write(record);
      if (durability == FileStore.Durability.DISK) {
        file.getFD().sync();
      }
    } catch (IOException e) {
      undo(start);
      throw new StorageException(directory + ": cannot write to the log: " + e.getMessage(), e);
    }
    size = start + record.length;
    return start;
  }

  /** Opens a batch for the calling thread, or nests in its own; false when another's is open. */
  boolean enterBatch() {
    return batch.enter();
  }

  /** Leaves one level of the caller's batch; true when that closed it (then write it). */
  boolean exitBatch() {
    return batch.exit();
  }

  /**
   * Writes the records held by the open batch, in one write (and one flush to disk), so that the
   * log holds everything the index does. A failure cannot be undone in the index, which already
   * holds those records: the log is then broken, and the store refuses writes until it is opened
   * again, which reads back what the log holds.
   */
  void writeBatched() {
    int length = batch.length();
    if (length == 0) {
      return;
    }
    long start = size - length;
    try {
      file.seek(start);
      file.write(batch.bytes(), 0, length);
      if (durability == FileStore.Durability.DISK) {
        file.getFD().sync();
      }
    } catch (IOException e) {
      undo(start);
      broken = true;
      throw new StorageException(directory + ": cannot write a batch of " + length + " bytes to"
          + " the log (" + e.getMessage() + "); reopen the store, which then holds what was"
          + " written before the batch", e);
    } finally {
      batch.clear();
    }
  }

  /** Reads {@code into.length} bytes from {@code position}; false when the log ends first. */
  boolean readFully(byte[] into, long position) throws IOException {
    writeBatched();
    file.seek(position);
    try {
      file.readFully(into);
      return true;
    } catch (EOFException e) {
      return false;
    }
  }

  /** A record's text, read back from where the index says the log holds it. */
  String readText(TextInLog place) throws IOException {
    writeBatched();
    return place.readFrom(file);
  }

  /** Copies the log from {@code from} to its end into {@code to}, at {@code to}'s position. */
  void copyTail(long from, RandomAccessFile to) throws IOException {
    writeBatched();
    byte[] chunk = new byte[1 << 16];
    for (long at = from; at < size; ) {
      int length = (int) Math.min(chunk.length, size - at);
      file.seek(at);
      file.readFully(chunk, 0, length);
      to.write(chunk, 0, length);
      at += length;
    }
  }

  /** Makes {@code next}, of {@code nextSize} bytes, the log (a compaction's), closing the old. */
  void replaceWith(RandomAccessFile next, long nextSize) {
    RandomAccessFile old = file;
    file = next;
    size = nextSize;
    try {
      old.close();
    } catch (IOException e) {
      log.debug("{}: closing the old log failed", directory, e);
    }
  }

  /** Writes what a batch holds, forces the log to disk when writes did not, and closes it. */
  void close() {
    try {
      writeBatched();
    } catch (StorageException e) {
      log.error("{}: could not write the last batch on close", directory, e);
    }
    try {
      if (durability == FileStore.Durability.OPERATING_SYSTEM) {
        file.getFD().sync();
      }
    } catch (IOException e) {
      log.warn("{}: could not flush the log on close", directory, e);
    }
    try {
      file.close();
    } catch (IOException e) {
      log.debug("{}: closing the log failed", directory, e);
    }
  }

  private void undo(long start) {
    try {
      file.setLength(start);
    } catch (IOException e) {
      broken = true;
      log.error("{}: a failed write could not be undone; refusing further writes", directory, e);
    }
  }
}
