package io.syncro.runtime.store;

import static io.syncro.runtime.store.LogFormat.CLIENT;
import static io.syncro.runtime.store.LogFormat.HEADER_BYTES;
import static io.syncro.runtime.store.LogFormat.LOG_START;
import static io.syncro.runtime.store.LogFormat.MAX_RECORD_BYTES;
import static io.syncro.runtime.store.LogFormat.OBJECT_PUT;
import static io.syncro.runtime.store.LogFormat.OBJECT_REMOVE;
import static io.syncro.runtime.store.LogFormat.SCRIBE;
import static io.syncro.runtime.store.LogFormat.SCRIBE_WITH_CREATED_OBJECT;
import static io.syncro.runtime.store.LogFormat.SCRIBE_WITH_OBJECT;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.syncro.ScribeType;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link ScribeStore}: a directory on disk holding one append-only log.
 * Nothing to install; survives restarts and {@code kill -9}.
 *
 * <p>Every change (a scribe, a client's cursor, an object) is one record: its length, a CRC-32
 * checksum, its kind and its JSON ({@link LogFormat}). A write that returned is in the log. On open the log is read
 * once to rebuild the index; a record torn by a crash at the end of the log fails its checksum
 * and is cut off, so the log is always valid up to its last whole record. Scribes stay on disk
 * and are read when asked for; the index (their places in the log, who they are addressed to,
 * where they came from), the clients and the objects are kept in memory: each object's JSON, or,
 * with {@link Records#ON_DISK}, only where the log holds it ({@code TextInLog}).
 *
 * <p>(This file is over the project's usual size, at about 740 lines, because the log's reading
 * on open, its records' indexing, and the two ends of a compaction (the copy it starts from,
 * the switch to the new log, the index of record texts moved with it) all move the same index;
 * what is kept in memory lives in {@link IndexedStore}, the records' format in
 * {@link LogFormat}, the file and its end (writes, batches, durability, cut-back) in
 * {@link LogFile}, the writing of a compacted log in {@link CompactedLog}, where a record's text
 * is in the log in {@link TextInLog}.)
 *
 * <p>How hard a write pushes its bytes is the {@link Durability}: to the disk itself before
 * returning (the default), or to the operating system only. A {@link #batch} (a page of a
 * catch-up) is written, and forced, once.
 *
 * <p>A save's scribe and the object it changes are one record, so the log never holds one
 * without the other.
 *
 * <p>One process owns a directory at a time: a lock file keeps a second one out with a clear
 * error. A {@link #trim} compacts the log (see there). Thread-safe.
 */
public final class FileStore extends IndexedStore {
  private static final Logger log = LoggerFactory.getLogger(FileStore.class);

  static final String LOG_FILE = "syncro.log";
  static final String LOCK_FILE = "syncro.lock";
  /** A compaction's new log, until it is whole and renamed over the log. */
  static final String COMPACTING_FILE = "syncro.log.compacting";
  /** A compaction runs when the log has grown this much since the last (and by 1 MiB at least). */
  private static final int GROWTH_BEFORE_COMPACTION = 2;

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

  /** Where the store keeps its records' JSON besides the log. */
  public enum Records {
    /**
     * In memory too: a read costs nothing, and the heap holds every record's JSON and merge
     * history besides what {@link #ON_DISK} holds. The default; for servers.
     */
    IN_MEMORY,
    /**
     * Only in the log: the heap holds where each record and its merge history are (about 250
     * bytes a record, whatever its size), and a read of a record reads the log (from the
     * operating system's cache, once read). For devices, and for more records than the heap
     * should hold: a client so opened receives a snapshot of a million records in under 512 MiB
     * of heap.
     */
    ON_DISK
  }

  private final Path directory;
  private final Records records;
  private final FileChannel lockChannel;
  private final FileLock lock;
  /** The log itself, and where it ends. */
  private LogFile logFile;
  /** The log's size after the last compaction, or on open. */
  private long compactedSize;
  /** When the store opened: the append time of scribes written before appends were timed. */
  private final long openedAtMillis = System.currentTimeMillis();
  /** Held by the one compaction that may run at a time, apart from the store's monitor. */
  private final Object compaction = new Object();
  private boolean closed;

  /** Scribe n's record body starts at offsets[indexOf(n)] and has lengths[indexOf(n)] bytes. */
  private long[] offsets = new long[1024];
  private int[] lengths = new int[1024];

  private FileStore(Path directory, Durability durability, Records records) {
    this.directory = directory;
    this.records = records;
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
      // A compaction that did not finish: the log it was to replace is whole.
      Files.deleteIfExists(directory.resolve(COMPACTING_FILE));
      opened = new RandomAccessFile(directory.resolve(LOG_FILE).toFile(), "rw");
      logFile = new LogFile(directory, opened, durability);
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
    return open(directory, durability, Records.IN_MEMORY);
  }

  /**
   * Opens (or creates) the store in a directory, keeping its records' JSON where {@code records}
   * says. The log is the same either way: a directory may be opened one way and then the other.
   *
   * @throws StorageException when the directory cannot be created or read, or another process
   *     (or another FileStore of this one) has it open
   */
  public static FileStore open(Path directory, Durability durability, Records records) {
    return new FileStore(requireNonNull(directory, "directory"),
        requireNonNull(durability, "durability"), requireNonNull(records, "records"));
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
    long fileSize = logFile.lengthOnDisk();
    long position = 0;
    byte[] headerBytes = new byte[HEADER_BYTES];
    int records = 0;
    while (position < fileSize) {
      if (!logFile.readFully(headerBytes, position)) {
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
      if (!logFile.readFully(body, position + HEADER_BYTES)
          || LogFormat.checksum(kind, body) != checksum) {
        break;
      }
      apply(kind, parse(body), body, position + HEADER_BYTES);
      position += HEADER_BYTES + length;
      records++;
    }
    if (position < fileSize) {
      log.warn("{}: cut off {} bytes of an incomplete write at the end of the log",
          directory, fileSize - position);
    }
    logFile.validUpTo(position);
    compactedSize = position;
    log.debug("{}: opened with {} records, {} scribes", directory, records, lastSequence());
  }

  /**
   * Applies one record read from the log (on open) or just written to it: its tree, and its
   * body, at {@code bodyOffset} in the log.
   */
  private void apply(byte kind, JsonNode json, byte[] body, long bodyOffset) {
    int bodyLength = body.length;
    switch (kind) {
      case SCRIBE:
        rememberScribeAt(json, bodyOffset, bodyLength);
        break;
      case SCRIBE_WITH_OBJECT:
      case SCRIBE_WITH_CREATED_OBJECT:
        JsonNode object = json.get("object");
        if (kind == SCRIBE_WITH_OBJECT) {
          applyObjectChange(object.get("klass"), object.get("id"), object.get("json"),
              bodyOffset, bodyLength, TextInLog.OBJECT_JSON);
        } else {
          rememberObject(object.get("klass").textValue(), object.get("id").textValue(),
              records == Records.ON_DISK
                  ? new TextInLog(bodyOffset, bodyLength, TextInLog.SCRIBE_DATA)
                  : createdObjectJson(json, body));
        }
        JsonNode history = object.get("history");
        if (history != null && !history.isNull()) {
          rememberObject(ObjectChange.HISTORY_PREFIX + object.get("klass").textValue(),
              object.get("id").textValue(),
              kept(history, bodyOffset, bodyLength, TextInLog.OBJECT_HISTORY));
        }
        JsonNode client = object.get("client");
        if (client != null && !client.isNull()) {
          rememberClient(LogFormat.clientState(client));
        }
        rememberScribeAt(json, bodyOffset, bodyLength);
        break;
      case CLIENT:
        rememberClient(LogFormat.clientState(json));
        break;
      case OBJECT_PUT:
        applyObjectChange(json.get("klass"), json.get("id"), json.get("json"),
            bodyOffset, bodyLength, TextInLog.PUT_JSON);
        JsonNode removedAt = json.get("removedAt"); // a tombstone's history, in a compacted log
        if (removedAt != null) {
          rememberTombstone(json.get("klass").textValue().substring(
              ObjectChange.HISTORY_PREFIX.length()), json.get("id").textValue(), removedAt.longValue());
        }
        break;
      case LOG_START:
        JsonNode trimmed = json.get("trimmed");
        startAfter(json.get("dropped").longValue(),
            trimmed == null ? null : Instant.ofEpochMilli(trimmed.longValue()));
        break;
      case OBJECT_REMOVE:
        applyObjectChange(json.get("klass"), json.get("id"), null, bodyOffset, bodyLength,
            TextInLog.PUT_JSON);
        break;
      default:
        throw new StorageException(directory + ": the log holds a record of unknown kind " + kind
            + "; was it written by a newer version?");
    }
  }

  /** Indexes a scribe whose record body is at {@code bodyOffset}; scribeAt reads it back there. */
  private void rememberScribeAt(JsonNode record, long bodyOffset, int bodyLength) {
    JsonNode at = record.get("at"); // absent in logs written before retention by age
    long sequence = rememberScribe(StoredScribes.audience(record), StoredScribes.origin(record),
        at == null ? openedAtMillis : at.longValue());
    int index = indexOf(sequence);
    if (index >= offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
      lengths = Arrays.copyOf(lengths, lengths.length * 2);
    }
    offsets[index] = bodyOffset;
    lengths[index] = bodyLength;
  }

  @Override
  protected void forgetOldestScribes(int count) {
    int kept = (int) (lastSequence() - firstSequence() + 1) - count;
    System.arraycopy(offsets, count, offsets, 0, kept);
    System.arraycopy(lengths, count, lengths, 0, kept);
  }

  /**
   * Puts an object's JSON, text {@code field} of the record whose body is at {@code bodyOffset},
   * or removes the object when {@code json} is null or JSON null.
   */
  private void applyObjectChange(JsonNode klass, JsonNode id, JsonNode json, long bodyOffset,
      int bodyLength, byte field) {
    if (json == null || json.isNull()) {
      forgetObject(klass.textValue(), id.textValue());
    } else {
      rememberObject(klass.textValue(), id.textValue(), kept(json, bodyOffset, bodyLength, field));
    }
  }

  /**
   * The object's JSON of a {@link LogFormat#SCRIBE_WITH_CREATED_OBJECT} record: its scribe's
   * data, as written (held as raw text in a record just written, sliced from the body on open).
   */
  private String createdObjectJson(JsonNode record, byte[] body) {
    JsonNode data = record.path("scribe").get("data");
    if (data instanceof POJONode && ((POJONode) data).getPojo() instanceof RawValue) {
      return ((RawValue) ((POJONode) data).getPojo()).rawValue().toString();
    }
    try {
      String text = TextInLog.textIn(body, TextInLog.SCRIBE_DATA);
      if (text == null) {
        throw new StorageException(directory + ": a created object's record holds no data");
      }
      return text;
    } catch (IOException e) {
      throw new StorageException(directory + ": a record passed its checksum but is not JSON", e);
    }
  }

  /** What the index keeps of a text the log holds: see {@link Records}. */
  private Object kept(JsonNode text, long bodyOffset, int bodyLength, byte field) {
    return records == Records.ON_DISK
        ? new TextInLog(bodyOffset, bodyLength, field) : text.textValue();
  }

  /** An object's text, read back from the log when the store keeps its records only there. */
  @Override
  protected String textOf(Object kept) {
    if (!(kept instanceof TextInLog)) {
      return (String) kept;
    }
    TextInLog place = (TextInLog) kept;
    try {
      return logFile.readText(place);
    } catch (IOException e) {
      throw new StorageException(directory + ": cannot read a record at " + place.bodyOffset
          + ": " + e, e);
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
    if (logFile.isBroken()) {
      throw new StorageException(directory + ": an earlier write failed and could not be undone;"
          + " reopen the store");
    }
    byte[] body;
    try {
      body = Json.writeTreeAsBytes(json);
    } catch (UncheckedIOException e) {
      throw new StorageException("cannot encode a record", e);
    }
    byte[] record = LogFormat.frame(kind, body);
    long start = logFile.append(record);
    apply(kind, json, body, start + HEADER_BYTES);
  }

  /**
   * Runs {@code writes} with the calling thread's appends held in memory and written to the log
   * together when it returns (or throws): one write, and with {@link Durability#DISK} one flush
   * to disk, instead of one each. Anything that reads the log, or writes from another thread,
   * writes them first. A crash before they are written loses them, whole records only, the
   * newest first, as if the batch had stopped there.
   */
  @Override
  public <T> T batch(Supplier<T> writes) {
    boolean entered;
    synchronized (this) {
      entered = logFile.enterBatch();
    }
    if (!entered) {
      return writes.get(); // another thread's batch is open: this one writes as it goes
    }
    T result;
    try {
      result = writes.get();
    } catch (RuntimeException | Error e) {
      try {
        endBatch();
      } catch (StorageException failed) {
        e.addSuppressed(failed);
      }
      throw e;
    }
    endBatch();
    return result;
  }

  private synchronized void endBatch() {
    if (logFile.exitBatch() && !closed) {
      logFile.writeBatched();
    }
  }

  // ---- ScribeStore ----

  /** The log's size on disk. */
  @Override
  protected long bytesKept() {
    return logFile.size();
  }

  @Override
  public synchronized Scribe append(Scribe scribe) {
    requireNonNull(scribe, "scribe");
    write(SCRIBE, StoredScribes.encode(scribe).put("at", System.currentTimeMillis()));
    return scribe.withId(Long.toString(lastSequence()));
  }

  @Override
  public synchronized Scribe append(Scribe scribe, ObjectChange change) {
    requireNonNull(scribe, "scribe");
    requireNonNull(change, "change");
    if (!change.expectationHolds(this)) {
      throw change.concurrentChange();
    }
    ObjectNode record = StoredScribes.encode(scribe).put("at", System.currentTimeMillis());
    // A create's object is its data, written once (most records of a log are so created).
    boolean objectIsData = change.json() != null && scribe.type() == ScribeType.CREATE
        && change.json().equals(scribe.dataJson());
    ObjectNode object = record.putObject("object")
        .put("klass", change.klass())
        .put("id", change.id());
    if (!objectIsData) {
      object.put("json", change.json());
    }
    object.put("history", change.history());
    if (change.client() != null) {
      object.set("client", LogFormat.clientJson(change.client()));
    }
    write(objectIsData ? SCRIBE_WITH_CREATED_OBJECT : SCRIBE_WITH_OBJECT, record);
    return scribe.withId(Long.toString(lastSequence()));
  }

  /** Reads scribe n back from the log. */
  @Override
  protected Scribe scribeAt(long sequence) {
    int i = indexOf(sequence);
    byte[] body = new byte[lengths[i]];
    try {
      if (!logFile.readFully(body, offsets[i])) {
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
    write(CLIENT, LogFormat.clientJson(state));
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
    if (holdsObject(klass, id)) {
      write(OBJECT_REMOVE, Json.NODES.objectNode().put("klass", klass).put("id", id));
    }
  }

  // ---- compaction ----

  /**
   * Trims the history and compacts the log: writes a new log holding the scribes the retention
   * keeps, every object as it is (the records, their histories, the tombstones still kept) and
   * every client, then renames it over the log. Runs when the trim drops anything, or when the
   * log has grown to {@value #GROWTH_BEFORE_COMPACTION} times its size after the last compaction;
   * otherwise does nothing.
   *
   * <p>Writes go on while the new log is written from what the store held when the compaction
   * began; they wait only at the end, while the records written meanwhile are copied over, the
   * new log is forced to disk and renamed. Until the rename the log is untouched, and a
   * compaction's unfinished file is deleted on open, so a crash at any point loses nothing.
   */
  @Override
  public TrimResult trim(Retention retention, long keepFrom, Instant now) {
    requireNonNull(retention, "retention");
    requireNonNull(now, "now");
    synchronized (compaction) {
      Compaction plan;
      synchronized (this) {
        if (closed || logFile.isBroken()) {
          throw new StorageException(directory + ": the store is closed or broken; nothing to trim");
        }
        long floor = firstToKeep(retention, keepFrom, now);
        boolean drops = floor > firstSequence(); // tombstones go only with scribes
        boolean grown =
            logFile.size() > Math.max(GROWTH_BEFORE_COMPACTION * compactedSize, 1 << 20);
        if (!drops && !grown) {
          return new TrimResult(firstSequence(), 0, 0);
        }
        plan = new Compaction(floor);
      }
      Path compacted = directory.resolve(COMPACTING_FILE);
      try {
        CompactedLog written =
            CompactedLog.write(compacted, directory.resolve(LOG_FILE), plan.copy, now);
        synchronized (this) {
          return plan.finish(compacted, written, now);
        }
      } catch (IOException | RuntimeException e) {
        try {
          Files.deleteIfExists(compacted);
        } catch (IOException again) {
          e.addSuppressed(again);
        }
        throw e instanceof StorageException ? (StorageException) e
            : new StorageException(directory + ": compaction failed, the log is as it was: " + e, e);
      }
    }
  }

  /**
   * One compaction: what the store held when it began, copied under the monitor; the new log,
   * written from it without the monitor ({@link CompactedLog}); then finished under it.
   */
  private final class Compaction {
    final long through;
    final long logSizeThen;
    final CompactedLog.Copy copy;

    /** Called with the monitor held. */
    Compaction(long floor) {
      logFile.writeBatched(); // the new log is written from the old one's file
      through = lastSequence();
      logSizeThen = logFile.size();
      int kept = (int) (through - floor + 1);
      int from = indexOf(floor);
      long[] keptAppendedAt = new long[kept];
      for (int i = 0; i < kept; i++) {
        keptAppendedAt[i] = appendedAt(floor + i);
      }
      copy = new CompactedLog.Copy(floor, Arrays.copyOfRange(offsets, from, from + kept),
          Arrays.copyOfRange(lengths, from, from + kept), keptAppendedAt, copyOfObjects(),
          copyOfTombstones(), clients());
    }

    /**
     * Copies what was written since the copy to the new log, forces it, renames it over the log
     * and moves the index to it. Called with the monitor held: writes wait for this part only.
     */
    TrimResult finish(Path compacted, CompactedLog written, Instant now)
        throws IOException {
      if (closed || logFile.isBroken()) {
        throw new StorageException(directory + ": the store closed during a compaction");
      }
      RandomAccessFile next = new RandomAccessFile(compacted.toFile(), "rw");
      try {
        next.seek(written.size);
        logFile.copyTail(logSizeThen, next);
        next.getFD().sync();
        Files.move(compacted, directory.resolve(LOG_FILE),
            java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        closeQuietly(next);
        throw e;
      }
      // From here the new log is the log: nothing may fail the trim.
      forceDirectory();
      long oldSize = logFile.size();
      long tailShift = written.size - logSizeThen;
      logFile.replaceWith(next, written.size + (oldSize - logSizeThen));
      compactedSize = logFile.size();
      long floor = copy.floor();
      TrimResult result = dropBefore(floor, now);
      for (long sequence = floor; sequence <= lastSequence(); sequence++) {
        int index = indexOf(sequence);
        offsets[index] = sequence <= through
            ? written.newOffsets[(int) (sequence - floor)]
            : offsets[index] + tailShift;
      }
      if (records == Records.ON_DISK) {
        moveTexts(written, tailShift);
      }
      markTrimmed(now);
      log.info("{}: compacted the log from {} to {} bytes, dropping {} scribes and {} tombstones",
          directory, oldSize, logFile.size(), result.scribesDropped(), result.tombstonesDropped());
      return result;
    }

    /**
     * Points the index of a store keeping its records on disk at the new log: a text written
     * while the compaction ran moved with the tail; one unchanged since the copy (the very
     * place the copy holds) is where the compaction wrote it, or gone with its tombstone.
     * Texts the compaction left behind were all written before it began, so every place is
     * tested against the old log's size before any is moved.
     */
    private void moveTexts(CompactedLog written, long tailShift) {
      Map<String, NavigableMap<String, Object>> kept = keptObjects();
      for (NavigableMap<String, Object> ofKlass : kept.values()) {
        for (Map.Entry<String, Object> object : ofKlass.entrySet()) {
          if (object.getValue() instanceof TextInLog
              && ((TextInLog) object.getValue()).bodyOffset >= logSizeThen) {
            object.setValue(((TextInLog) object.getValue()).movedBy(tailShift));
          }
        }
      }
      copy.objects().forEach((klass, copied) -> {
        NavigableMap<String, Object> now = kept.get(klass);
        TextInLog[] places = written.newPlaces.get(klass);
        int index = 0;
        for (Map.Entry<String, Object> object : copied.entrySet()) {
          TextInLog place = places[index++];
          if (now == null || now.get(object.getKey()) != object.getValue()) {
            continue; // changed or removed since the copy: its place is in the tail, or none
          }
          if (place == null) {
            now.remove(object.getKey());
          } else {
            now.put(object.getKey(), place);
          }
        }
      });
    }
  }

  /** Forces the directory's entries (the rename of the log) to disk; best effort. */
  private void forceDirectory() {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("{}: cannot force the directory to disk", directory, e);
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
    logFile.close();
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
