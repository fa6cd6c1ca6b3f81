package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.RecordHistory;
import io.syncro.runtime.internal.session.SessionHost.SnapshotPage;
import io.syncro.ScribeType;
import io.syncro.runtime.store.ObjectChange;
import io.syncro.runtime.store.ObjectPage;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.store.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Repository} kept in a node's {@link ScribeStore}, so the objects live as long as the
 * scribes do: on disk with a file store, in Redis with a Redis store. Objects are stored as the
 * JSON of their synced fields; fields left out of sync are not kept. Every {@code find} builds a
 * fresh object, so callers may mutate what they get.
 *
 * <p>This is the repository {@link Syncro.Builder#model(Class)} gives a class. Thread-safe.
 */
public final class StoredRepository<T, ID> implements Repository<T, ID> {
  private final SyncModel<T, ID> model;
  private final ScribeStore store;
  /** On a store other nodes share, where a read is a round trip; null on any other. */
  private final KnownRecords known;

  public StoredRepository(SyncModel<T, ID> model, ScribeStore store) {
    this.model = requireNonNull(model, "model");
    this.store = requireNonNull(store, "store");
    this.known = store.isShared() ? new KnownRecords() : null;
  }

  @Override
  public Optional<T> find(ID id) {
    String key = model.idKey(requireNonNull(id, "id"));
    Optional<String> json = store.object(model.klass(), key);
    if (known != null && json.isPresent()) {
      known.seen(key);
    }
    return json.map(this::read);
  }

  /**
   * Whether a save may take this id for a new record without reading it (see
   * {@link KnownRecords}): only on a store other nodes share, which refuses a create where a
   * record or its history is.
   */
  boolean mayBeNew(ID id) {
    return known != null && known.mayBeNew(model.idKey(id));
  }

  /** Notes that the store now holds this record, or its history. */
  void stored(ID id) {
    if (known != null) {
      known.seen(model.idKey(id));
    }
  }

  @Override
  public List<T> findAll() {
    List<String> stored = store.objects(model.klass());
    List<T> objects = new ArrayList<>(stored.size());
    for (String json : stored) {
      objects.add(read(json));
    }
    return objects;
  }

  @Override
  public void put(T object) {
    ID id = Ids.required(model, object, "store");
    store.putObject(model.klass(), model.idKey(id), model.toData(object).toString());
  }

  @Override
  public Optional<T> remove(ID id) {
    Optional<T> existing = find(id);
    existing.ifPresent(object -> store.removeObject(model.klass(), model.idKey(id)));
    return existing;
  }

  /**
   * One page of a snapshot of this class, for {@code client}: first the stored records, each
   * whole as the client may see it (a create stamped as its fields are; see
   * {@link RecordMerger#wholeRecord}), records it may not see left out unless it is
   * {@code trusted}; then the tombstones, each a destroy stamped as its record was destroyed, so
   * that a peer that missed the destroy, or holds a change it made before it, ends as this node
   * does. A position says which of the two it is in: {@code r:} or {@code t:} and the store's
   * own position; {@code t} alone starts the tombstones.
   */
  SnapshotPage snapshotPage(String client, boolean trusted, String position, int limit) {
    if (position != null && position.startsWith(TOMBSTONES)) {
      String inner = position.length() == TOMBSTONES.length() ? null
          : position.substring(TOMBSTONES.length() + 1);
      return tombstonePage(inner, limit);
    }
    ObjectPage page = store.objectPage(model.klass(),
        position == null ? null : position.substring(RECORDS.length() + 1), limit);
    List<Scribe> records = new ArrayList<>(page.objects().size());
    for (ObjectPage.Entry entry : page.objects()) {
      ObjectNode data = data(entry.json());
      Recipients recipients = model.recipientsOf(restore(data));
      if (trusted || recipients.includes(client)) {
        RecordHistory history = Convergence.history(
            model.klass(), entry.id(), entry.history(), data, model.idField());
        // With the text as stored, when it is as the wire has it: written to the peer as it is,
        // not written again from its tree.
        String text = Json.needsNoEscapes(entry.json()) ? entry.json() : null;
        records.add(RecordMerger.wholeRecord(model.klass(), data, text, history, null,
            recipients));
      }
    }
    return new SnapshotPage(records,
        page.next() == null ? TOMBSTONES : RECORDS + ":" + page.next());
  }

  private static final String RECORDS = "r";
  private static final String TOMBSTONES = "t";

  private SnapshotPage tombstonePage(String position, int limit) {
    ObjectPage page = store.objectPage(ObjectChange.HISTORY_PREFIX + model.klass(), position, limit);
    List<Scribe> destroys = new ArrayList<>();
    for (ObjectPage.Entry entry : page.objects()) {
      if (!entry.json().contains("\"destroyed\"")) {
        continue; // most are the histories of live records: not worth reading
      }
      RecordHistory history = Convergence.history(model.klass(), entry.id(), entry.json());
      if (history.destroyed() == null || history.exists(false)) {
        continue; // the history of a record that exists, sent with it
      }
      Scribe destroy = Scribe.builder().klass(model.klass()).type(ScribeType.DESTROY)
          .data(Json.NODES.arrayNode(1).add(wireId(entry.id())))
          .stamp(history.destroyed()).recipients(Recipients.everyone()).build();
      destroys.add(destroy);
    }
    return new SnapshotPage(destroys, page.next() == null ? null : TOMBSTONES + ":" + page.next());
  }

  /** A record's id on the wire, from the key it is stored under: a number for numeric ids. */
  private JsonNode wireId(String key) {
    Class<?> type = model.idType();
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
      try {
        return Json.NODES.numberNode(Long.parseLong(key));
      } catch (NumberFormatException e) {
        // not a number after all: as text, which the replay reports if it must
      }
    }
    return Json.NODES.textNode(key);
  }

  /** The record's stored JSON and merge history, read in one store call, for a node's merges. */
  StoredRecord findWithHistory(ID id) {
    String key = model.idKey(requireNonNull(id, "id"));
    StoredRecord record = store.objectWithHistory(model.klass(), key);
    if (known != null && (record.json() != null || record.history() != null)) {
      known.seen(key);
    }
    return record;
  }

  private T read(String json) {
    return restore(data(json));
  }

  /** A stored object's JSON, checked to be an object. */
  ObjectNode data(String json) {
    JsonNode data;
    try {
      data = Json.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StorageException("a stored " + model.klass() + " is not valid JSON", e);
    }
    if (!(data instanceof ObjectNode)) {
      throw new StorageException("a stored " + model.klass() + " is not a JSON object");
    }
    return (ObjectNode) data;
  }

  /** An object from its stored JSON; the JSON is only read. */
  T restore(ObjectNode data) {
    try {
      return model.restore(data);
    } catch (InvalidScribeException e) {
      throw new StorageException("a stored " + model.klass() + " no longer fits its class: "
          + e.getMessage(), e);
    }
  }
}
