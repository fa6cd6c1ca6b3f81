package io.syncro.runtime.generated;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.InvalidScribeException;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Repository;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.ScribeRecorder;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.ScribeJson;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every generated {@link SyncModel} shares: the shape of scribes and the rules of replay.
 * Generated subclasses supply the per-field code: reading, writing, comparing and copying each
 * synced field of their class, without reflection.
 */
public abstract class GeneratedSyncModel<T, ID> implements SyncModel<T, ID> {
  private static final Logger log = LoggerFactory.getLogger(GeneratedSyncModel.class);

  /**
   * The version of what generated code may call here. Generated code returns the version its
   * processor was built with from {@link #contractVersion()}; the runtime refuses a model written
   * for another with a clear error, instead of failing later on a missing method. Raise it with
   * every change generated code can see.
   */
  public static final int CONTRACT_VERSION = 3;

  private final Class<T> type;
  private final Class<ID> idType;
  private final String klass;
  private final String idField;
  private final Set<ScribeType> recorded;

  protected GeneratedSyncModel(
      Class<T> type, Class<ID> idType, String klass, String idField, ScribeType... recorded) {
    this.type = requireNonNull(type, "type");
    this.idType = requireNonNull(idType, "idType");
    this.klass = requireNonNull(klass, "klass");
    this.idField = requireNonNull(idField, "idField");
    this.recorded = recorded.length == 0 ? EnumSet.noneOf(ScribeType.class) : EnumSet.of(recorded[0], recorded);
  }

  // ---- what generated code supplies ----

  /** The {@link #CONTRACT_VERSION} the code was generated for; 0 for code older than versions. */
  protected int contractVersion() {
    return 0;
  }

  /** The contract version this generated model was written for. */
  public final int writtenForContract() {
    return contractVersion();
  }

  /** Writes every synced field, the id included, in declaration order. */
  protected abstract void writeFields(T object, ObjectNode data);

  /** Writes the synced fields, the id excepted, whose values differ between the two objects. */
  protected abstract void writeChangedFields(T before, T after, ObjectNode changes);

  /** Builds a new object from a create's data; fields absent from the data keep their defaults. */
  protected abstract T fromData(ObjectNode data);

  /**
   * Applies the known fields of an update's data to {@code target}, writing those whose values
   * changed into {@code applied}; the id is never changed. Every value is read before the target
   * is touched, so bad data leaves it as it was.
   *
   * @return the updated object: {@code target} itself for a class, a new record for a record
   */
  protected abstract T applyChanges(T target, ObjectNode changes, ObjectNode applied);

  protected abstract JsonNode idToJson(ID id);

  /** Reads a record id; null and wrong types are {@link InvalidScribeException}s. */
  protected abstract ID idFromJson(JsonNode id);

  // ---- SyncModel ----

  @Override
  public final Class<T> type() {
    return type;
  }

  @Override
  public final Class<ID> idType() {
    return idType;
  }

  @Override
  public final String klass() {
    return klass;
  }

  @Override
  public final boolean records(ScribeType scribeType) {
    return recorded.contains(scribeType);
  }

  @Override
  public final String idField() {
    return idField;
  }

  @Override
  public final String idKey(ID id) {
    return idToJson(requireNonNull(id, "id")).asText();
  }

  @Override
  public final ObjectNode toData(T object) {
    ObjectNode data = Json.NODES.objectNode();
    writeFields(requireNonNull(object, "object"), data);
    return data;
  }

  @Override
  public final T restore(ObjectNode data) {
    return fromData(requireNonNull(data, "data"));
  }

  @Override
  public final Optional<Scribe> recordCreate(T object) {
    requireNonNull(object, "object");
    ID id = requireId(object);
    if (!records(ScribeType.CREATE)) {
      return Optional.empty();
    }
    ObjectNode data = Json.NODES.objectNode();
    writeFields(object, data);
    log.trace("recorded create of {} {}", klass, id);
    return Optional.of(scribe(ScribeType.CREATE, data, recipientsOf(object), null));
  }

  @Override
  public final Optional<Scribe> recordUpdate(T before, T after) {
    requireNonNull(before, "before");
    requireNonNull(after, "after");
    ID id = requireId(after);
    if (!id.equals(requireId(before))) {
      throw new IllegalArgumentException(
          "an update cannot change the id of a " + klass + ": " + idOf(before) + " -> " + id);
    }
    if (!records(ScribeType.UPDATE)) {
      return Optional.empty();
    }
    ObjectNode changes = Json.NODES.objectNode();
    writeChangedFields(before, after, changes);
    if (changes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(scribe(ScribeType.UPDATE, updateData(id, changes), recipientsOf(after), null));
  }

  @Override
  public final Optional<Scribe> recordDestroy(T object) {
    requireNonNull(object, "object");
    ID id = requireId(object);
    if (!records(ScribeType.DESTROY)) {
      return Optional.empty();
    }
    return Optional.of(scribe(ScribeType.DESTROY, destroyData(id), recipientsOf(object), null));
  }

  @Override
  public final ID targetId(Scribe scribe) {
    requireOwnKlass(scribe);
    if (scribe.type() == ScribeType.CREATE) {
      return idFromJson(createFields(scribe).path(idField));
    }
    return idFromJson(scribe.data().path(0));
  }

  @Override
  public final Optional<Scribe> syncPlay(
      Scribe scribe, Repository<T, ID> repository, ScribeRecorder recorder) {
    requireNonNull(repository, "repository");
    requireNonNull(recorder, "recorder");
    requireOwnKlass(scribe);
    String origin = scribe.origin().orElse(null);
    switch (scribe.type()) {
      case CREATE:
        return playCreate(createFields(scribe), repository, origin, recorder);
      case UPDATE:
        return playUpdate(scribe.data(), repository, origin, recorder);
      case DESTROY:
        return playDestroy(scribe.data(), repository, origin, recorder);
      default:
        throw new AssertionError(scribe.type());
    }
  }

  // Each play builds its scribe and has it recorded before the repository changes: the class's
  // recipients method or the recorder may throw, and must not leave a change that was never
  // recorded.

  private Optional<Scribe> playCreate(
      ObjectNode data, Repository<T, ID> repository, String origin, ScribeRecorder recorder) {
    T created = fromData(data);
    ID id = idOf(created);
    if (id == null) {
      throw new InvalidScribeException(klass + " create has no " + idField);
    }
    if (repository.find(id).isPresent()) {
      log.debug("skipped create of {} {}: it exists already", klass, id);
      return Optional.empty();
    }
    ObjectNode applied = Json.NODES.objectNode();
    writeFields(created, applied);
    Optional<Scribe> recorded =
        recorder.record(scribe(ScribeType.CREATE, applied, recipientsOf(created), origin));
    repository.put(created);
    return recorded;
  }

  private Optional<Scribe> playUpdate(
      JsonNode data, Repository<T, ID> repository, String origin, ScribeRecorder recorder) {
    if (!data.isArray() || data.size() != 2 || !data.get(1).isObject()) {
      throw new InvalidScribeException(
          klass + " update data must be [id, {fields}], got " + ScribeJson.describe(data));
    }
    ID id = idFromJson(data.get(0));
    ObjectNode changes = (ObjectNode) data.get(1);
    Optional<T> existing = repository.find(id);
    if (existing.isEmpty()) {
      log.debug("skipped update of {} {}: no such record", klass, id);
      return Optional.empty();
    }
    ObjectNode applied = Json.NODES.objectNode();
    T updated = applyChanges(existing.get(), changes, applied);
    if (applied.isEmpty()) {
      log.debug("skipped update of {} {}: it changes nothing", klass, id);
      return Optional.empty();
    }
    Optional<Scribe> recorded = recorder.record(
        scribe(ScribeType.UPDATE, updateData(id, applied), recipientsOf(updated), origin));
    repository.put(updated);
    return recorded;
  }

  private Optional<Scribe> playDestroy(
      JsonNode data, Repository<T, ID> repository, String origin, ScribeRecorder recorder) {
    if (!data.isArray() || data.size() != 1) {
      throw new InvalidScribeException(
          klass + " destroy data must be [id], got " + ScribeJson.describe(data));
    }
    ID id = idFromJson(data.get(0));
    Optional<T> existing = repository.find(id);
    if (existing.isEmpty()) {
      log.debug("skipped destroy of {} {}: no such record", klass, id);
      return Optional.empty();
    }
    Optional<Scribe> recorded = recorder.record(
        scribe(ScribeType.DESTROY, destroyData(id), recipientsOf(existing.get()), origin));
    repository.remove(id);
    return recorded;
  }

  // ---- shared shapes ----

  private Scribe scribe(ScribeType scribeType, JsonNode data, Recipients recipients, String origin) {
    return Scribe.builder()
        .klass(klass)
        .type(scribeType)
        .data(data)
        .recipients(recipients)
        .origin(origin)
        .build();
  }

  private ArrayNode updateData(ID id, ObjectNode changes) {
    ArrayNode data = Json.NODES.arrayNode(2);
    data.add(idToJson(id));
    data.add(changes);
    return data;
  }

  private ArrayNode destroyData(ID id) {
    ArrayNode data = Json.NODES.arrayNode(1);
    data.add(idToJson(id));
    return data;
  }

  private ObjectNode createFields(Scribe scribe) {
    if (!scribe.data().isObject()) {
      throw new InvalidScribeException(
          klass + " create data must be an object, got " + ScribeJson.describe(scribe.data()));
    }
    return (ObjectNode) scribe.data();
  }

  private void requireOwnKlass(Scribe scribe) {
    requireNonNull(scribe, "scribe");
    if (!klass.equals(scribe.klass())) {
      throw new InvalidScribeException(
          "a scribe of " + scribe.klass() + " cannot be replayed as a " + klass);
    }
  }

  private ID requireId(T object) {
    ID id = idOf(object);
    if (id == null) {
      throw new IllegalArgumentException(
          "a " + klass + " needs its " + idField + " set before it is recorded");
    }
    return id;
  }

  @Override
  public String toString() {
    return "SyncModel[" + type.getName() + " as " + klass + "]";
  }
}
