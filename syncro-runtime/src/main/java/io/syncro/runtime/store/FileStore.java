package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Json;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link ScribeStore}: a directory on disk holding one append-only log.
 * Nothing to install; survives restarts and {@code kill -9}.
 *
 * <p>Every change (a scribe, a client's cursor, an object) is one record: its length, a CRC-32
 * checksum, its kind and its JSON. A write that returned is in the log. On open the log is read
 * once to rebuild the index; a record torn by a crash at the end of the log fails its checksum
 * and is cut off, so the log is always valid up to its last whole record. Scribes stay on disk
 * and are read when asked for; the index (their places in the log, who they are addressed to,
 * where they came from), the clients and the objects are kept in memory.
 *
 * <p>(This file is about 450 lines because the log's format, its reading on open and its
 * writing with durability and cut-back belong together, and a change's record now also carries
 * the record's history and the peer's cursor; what is kept in memory lives in
 * {@link IndexedStore}.)
 *
 * <p>How hard a write pushes its bytes is the {@link Durability}: to the disk itself before
 * returning (the default), or to the operating system only.
 *
 * <p>A save's scribe and the object it changes are one record, so the log never holds one
 * without the other. The log is read and written through a {@link RandomAccessFile}, not an
 * interruptible {@code FileChannel}: a caller's thread being interrupted must not close the log
 * for every other thread.
 *
 * <p>One process owns a directory at a time: a lock file keeps a second one out with a clear
 * error. The log is never compacted. Thread-safe.
 */
public final class FileStore extends IndexedStore {
  private static final Logger log = LoggerFactory.getLogger(FileStore.class);

  static final String LOG_FILE = "syncro.log";
  static final String LOCK_FILE = "syncro.lock";
  private static final int HEADER_BYTES = 9;
  /** No record is larger; a length beyond it can only be a torn or damaged header. */
  private static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

  private static final byte SCRIBE = 1;
  private static final byte CLIENT = 2;
  private static final byte OBJECT_PUT = 3;
  private static final byte OBJECT_REMOVE = 4;
  /** A scribe's record with the change of its object under {@code "object"}. */
  private static final byte SCRIBE_WITH_OBJECT = 5;

  /** How far a write goes before it returns. */
  public enum Durability {
    /**
     * Each write is forced to the disk before it returns: an acknowledged change survives a
     * power cut. The safe default; costs a disk flush per change.
     */
    DISK,
    /**
     * Each write is handed to the operating system before it returns: an acknowledged change
     * survives the process being killed, not the machine losing power. Much faster.
     */
    OPERATING_SYSTEM
  }

  private final Path directory;
  private final Durability durability;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final RandomAccessFile file;
  private long size;
  /** Set when a failed write could not be undone: the log's end is unknown, so no more writes. */
  private boolean broken;
  private boolean closed;

  /** Scribe n's record body starts at offsets[n - 1] and has lengths[n - 1] bytes. */
  private long[] offsets = new long[1024];
  private int[] lengths = new int[1024];

  private FileStore(Path directory, Durability durability) {
    this.directory = directory;
    this.durability = durability;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StorageException("cannot create the data directory " + directory + ": " + e, e);
    }
    try {
      lockChannel = FileChannel.open(directory.resolve(LOCK_FILE),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StorageException("cannot open " + directory.resolve(LOCK_FILE) + ": " + e, e);
    }
    lock = tryLock(directory, lockChannel);
    RandomAccessFile opened = null;
    try {
      opened = new RandomAccessFile(directory.resolve(LOG_FILE).toFile(), "rw");
      file = opened;
      recover();
    } catch (IOException | RuntimeException e) {
      closeQuietly(opened);
      releaseQuietly();
      throw e instanceof StorageException
          ? (StorageException) e
          : new StorageException("cannot open the log in " + directory + ": " + e, e);
    }
  }

  /** Opens (or creates) the store in a directory, forcing every write to disk. */
  public static FileStore open(Path directory) {
    return open(directory, Durability.DISK);
  }

  /**
   * Opens (or creates) the store in a directory.
   *
   * @throws StorageException when the directory cannot be created or read, or another process
   *     (or another FileStore of this one) has it open
   */
  public static FileStore open(Path directory, Durability durability) {
    return new FileStore(requireNonNull(directory, "directory"), requireNonNull(durability, "durability"));
  }

  private static FileLock tryLock(Path directory, FileChannel lockChannel) {
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new StorageException("cannot lock " + directory + ": " + e, e);
    }
    if (lock == null) {
      closeQuietly(lockChannel);
      throw new StorageException("the data directory " + directory
          + " is in use by another process, or another FileStore of this one; close that first");
    }
    return lock;
  }

  // ---- recovery ----

  /** Reads the log once, rebuilding the index; cuts off a torn last record. */
  private void recover() throws IOException {
    long fileSize = file.length();
    long position = 0;
    byte[] headerBytes = new byte[HEADER_BYTES];
    int records = 0;
    while (position < fileSize) {
      if (!readFully(headerBytes, position)) {
        break;
      }
      ByteBuffer header = ByteBuffer.wrap(headerBytes);
      int length = header.getInt();
      int checksum = header.getInt();
      byte kind = header.get();
      if (length < 0 || length > MAX_RECORD_BYTES || position + HEADER_BYTES + length > fileSize) {
        break;
      }
      byte[] body = new byte[length];
      if (!readFully(body, position + HEADER_BYTES) || checksum(kind, body) != checksum) {
        break;
      }
      apply(kind, parse(body), position + HEADER_BYTES, length);
      position += HEADER_BYTES + length;
      records++;
    }
    if (position < fileSize) {
      log.warn("{}: cut off {} bytes of an incomplete write at the end of the log",
          directory, fileSize - position);
      file.setLength(position);
      file.getFD().sync();
    }
    size = position;
    log.debug("{}: opened with {} records, {} scribes", directory, records, lastSequence());
  }

  /** Reads {@code into.length} bytes from {@code position}; false when the log ends first. */
  private boolean readFully(byte[] into, long position) throws IOException {
    file.seek(position);
    try {
      file.readFully(into);
      return true;
    } catch (EOFException e) {
      return false;
    }
  }

  /** Applies one record read from the log (on open) or just written to it. */
  private void apply(byte kind, JsonNode json, long bodyOffset, int bodyLength) {
    switch (kind) {
      case SCRIBE:
        rememberScribeAt(json, bodyOffset, bodyLength);
        break;
      case SCRIBE_WITH_OBJECT:
        JsonNode object = json.get("object");
        applyObjectChange(object.get("klass"), object.get("id"), object.get("json"));
        JsonNode history = object.get("history");
        if (history != null && !history.isNull()) {
          rememberObject(ObjectChange.HISTORY_PREFIX + object.get("klass").textValue(),
              object.get("id").textValue(), history.textValue());
        }
        JsonNode client = object.get("client");
        if (client != null && !client.isNull()) {
          rememberClient(clientState(client));
        }
        rememberScribeAt(json, bodyOffset, bodyLength);
        break;
      case CLIENT:
        rememberClient(clientState(json));
        break;
      case OBJECT_PUT:
        applyObjectChange(json.get("klass"), json.get("id"), json.get("json"));
        break;
      case OBJECT_REMOVE:
        applyObjectChange(json.get("klass"), json.get("id"), null);
        break;
      default:
        throw new StorageException(directory + ": the log holds a record of unknown kind " + kind
            + "; was it written by a newer version?");
    }
  }

  private static ClientState clientState(JsonNode json) {
    JsonNode cursor = json.get("cursor");
    return new ClientState(json.get("uid").textValue(),
        cursor.isNull() ? null : cursor.textValue(), json.get("synced").booleanValue());
  }

  private static ObjectNode clientJson(ClientState state) {
    return Json.NODES.objectNode()
        .put("uid", state.uid())
        .put("cursor", state.cursor())
        .put("synced", state.synced());
  }

  /** Indexes a scribe whose record body is at {@code bodyOffset}; scribeAt reads it back there. */
  private void rememberScribeAt(JsonNode record, long bodyOffset, int bodyLength) {
    long sequence = rememberScribe(
        StoredScribes.audience(record), StoredScribes.origin(record));
    if (sequence > offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
      lengths = Arrays.copyOf(lengths, lengths.length * 2);
    }
    offsets[(int) sequence - 1] = bodyOffset;
    lengths[(int) sequence - 1] = bodyLength;
  }

  /** Puts an object's JSON, or removes the object when {@code json} is null or JSON null. */
  private void applyObjectChange(JsonNode klass, JsonNode id, JsonNode json) {
    if (json == null || json.isNull()) {
      forgetObject(klass.textValue(), id.textValue());
    } else {
      rememberObject(klass.textValue(), id.textValue(), json.textValue());
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return Json.readTree(body);
    } catch (IOException e) {
      throw new StorageException(directory + ": a record passed its checksum but is not JSON", e);
    }
  }

  // ---- writing ----

  /**
   * Appends one record and applies it. A failed write is undone by cutting the log back to where
   * it was, so no torn record stays behind a later one.
   */
  private void write(byte kind, ObjectNode json) {
    if (closed) {
      throw new StorageException(directory + ": the store is closed");
    }
    if (broken) {
      throw new StorageException(directory + ": an earlier write failed and could not be undone;"
          + " reopen the store");
    }
    byte[] body;
    try {
      body = Json.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new StorageException("cannot encode a record", e);
    }
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + body.length);
    record.putInt(body.length).putInt(checksum(kind, body)).put(kind).put(body);
    long start = size;
    try {
      file.seek(start);
      file.write(record.array());
      if (durability == Durability.DISK) {
        file.getFD().sync();
      }
    } catch (IOException e) {
      undo(start);
      throw new StorageException(directory + ": cannot write to the log: " + e.getMessage(), e);
    }
    size = start + record.capacity();
    apply(kind, json, start + HEADER_BYTES, body.length);
  }

  private void undo(long start) {
    try {
      file.setLength(start);
    } catch (IOException e) {
      broken = true;
      log.error("{}: a failed write could not be undone; refusing further writes", directory, e);
    }
  }

  private static int checksum(byte kind, byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(kind);
    crc.update(body);
    return (int) crc.getValue();
  }

  // ---- ScribeStore ----

  /** The log's size on disk. */
  @Override
  protected long bytesKept() {
    return size;
  }

  @Override
  public synchronized Scribe append(Scribe scribe) {
    requireNonNull(scribe, "scribe");
    write(SCRIBE, StoredScribes.encode(scribe));
    return scribe.withId(Long.toString(lastSequence()));
  }

  @Override
  public synchronized Scribe append(Scribe scribe, ObjectChange change) {
    requireNonNull(scribe, "scribe");
    requireNonNull(change, "change");
    if (!change.expectationHolds(this)) {
      throw change.concurrentChange();
    }
    ObjectNode record = StoredScribes.encode(scribe);
    record.putObject("object")
        .put("klass", change.klass())
        .put("id", change.id())
        .put("json", change.json())
        .put("history", change.history());
    if (change.client() != null) {
      record.with("object").set("client", clientJson(change.client()));
    }
    write(SCRIBE_WITH_OBJECT, record);
    return scribe.withId(Long.toString(lastSequence()));
  }

  /** Reads scribe n back from the log. */
  @Override
  protected Scribe scribeAt(long sequence) {
    int i = (int) sequence - 1;
    byte[] body = new byte[lengths[i]];
    try {
      if (!readFully(body, offsets[i])) {
        throw new StorageException(directory + ": the log ends inside scribe " + sequence);
      }
    } catch (IOException e) {
      throw new StorageException(directory + ": cannot read scribe " + sequence + ": " + e, e);
    }
    try {
      return StoredScribes.decode(body, Long.toString(sequence));
    } catch (IOException e) {
      throw new StorageException(directory + ": a record passed its checksum but is not JSON", e);
    }
  }

  @Override
  public synchronized void saveClient(ClientState state) {
    requireNonNull(state, "state");
    if (state.equals(storedClient(state.uid()))) {
      return;
    }
    write(CLIENT, clientJson(state));
  }

  @Override
  public synchronized void putObject(String klass, String id, String json) {
    requireNonNull(json, "json");
    write(OBJECT_PUT, Json.NODES.objectNode()
        .put("klass", requireNonNull(klass, "klass"))
        .put("id", requireNonNull(id, "id"))
        .put("json", json));
  }

  @Override
  public synchronized void removeObject(String klass, String id) {
    if (object(klass, id).isPresent()) {
      write(OBJECT_REMOVE, Json.NODES.objectNode().put("klass", klass).put("id", id));
    }
  }

  /** The directory this store lives in. */
  public Path directory() {
    return directory;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (durability == Durability.OPERATING_SYSTEM) {
        file.getFD().sync();
      }
    } catch (IOException e) {
      log.warn("{}: could not flush the log on close", directory, e);
    }
    closeQuietly(file);
    releaseQuietly();
  }

  private void releaseQuietly() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      log.debug("{}: could not release the lock", directory, e);
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing failed", e);
    }
  }

  @Override
  public String toString() {
    return "FileStore[" + directory + "]";
  }
}
