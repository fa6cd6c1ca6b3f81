package io.syncro.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.Stamp;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a node keeps of one record to merge changes in any order: the stamp of each field's
 * value, of its latest create and of its latest destroy, and, while the record does not exist
 * here, the values its fields would have if a create brought it back; and, when two records
 * met under one id, the peers whose record under it is another one: on the node that refused a
 * create because the id was taken, the clients whose create it was ({@code claimedBy}: their
 * later changes of that id are of their own record, not of this one); on the node whose create
 * was refused, the peer that holds the id ({@code takenBy}: a record that peer later sends under
 * it is the peer's, not this one). Stored beside the record as JSON:
 * {@code {"created":s,"destroyed":s,"fields":{name:s},"retained":{name:value},"claimedBy":[uid],
 * "takenBy":[uid]}}, keys
 * without a value left out, and a field whose stamp is the record's create stamp written
 * {@code "="}: a record is mostly created and then edited a field at a time, so most fields share
 * the create's stamp, and a stored history is written with every change a node applies. A record
 * never changed since its create is stored as {@code {"created":s}} alone: its fields are those
 * of the record's stored JSON ({@link #read(String, ObjectNode, String)}).
 * Mutable; confined to the repository that merges.
 */
public final class RecordHistory {
  /** How stored text writes a field's stamp when it is the record's create stamp. */
  private static final String SAME_AS_CREATED = "=";
  private Stamp created;
  private Stamp destroyed;
  private final Map<String, Stamp> fields = new TreeMap<>();
  private ObjectNode retained = Json.NODES.objectNode();
  private final Set<String> claimedBy = new TreeSet<>();
  private final Set<String> takenBy = new TreeSet<>();
  /** Whether a merge has changed this history since it was read. */
  private boolean changed;
  /** The stored text this history was read from; null when none was stored. */
  private String readFrom;

  /** The history of a record nothing is known of. */
  public RecordHistory() {}

  /** Reads a history from its stored JSON; an empty history for null. */
  public static RecordHistory fromJson(JsonNode json) {
    RecordHistory history = new RecordHistory();
    if (json == null || !json.isObject()) {
      return history;
    }
    history.created = stamp(json.get("created"));
    history.destroyed = stamp(json.get("destroyed"));
    JsonNode stamps = json.path("fields");
    for (Iterator<Map.Entry<String, JsonNode>> it = stamps.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String stamp = field.getValue().asText();
      history.fields.put(field.getKey(),
          SAME_AS_CREATED.equals(stamp) && history.created != null
              ? history.created : Stamp.parse(stamp));
    }
    if (json.path("retained").isObject()) {
      history.retained = ((ObjectNode) json.get("retained")).deepCopy();
    }
    json.path("claimedBy").forEach(uid -> history.claimedBy.add(uid.asText()));
    json.path("takenBy").forEach(uid -> history.takenBy.add(uid.asText()));
    return history;
  }

  /**
   * Reads a history from its stored text, remembering the text, so that a store shared by
   * several nodes can refuse to replace it if it changed meanwhile ({@link #readFrom()}).
   */
  public static RecordHistory read(String text) throws com.fasterxml.jackson.core.JsonProcessingException {
    return read(text, null, null);
  }

  /**
   * As {@link #read(String)}, for a history stored with its record's JSON ({@code record}; null
   * when there is none): a history without {@code "fields"} stamps each of the record's fields
   * but its id with the create's stamp.
   */
  public static RecordHistory read(String text, ObjectNode record, String idField)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    JsonNode json = Json.readTree(text);
    RecordHistory history = fromJson(json);
    if (record != null && history.created != null && json.isObject() && !json.has("fields")) {
      record.fieldNames().forEachRemaining(name -> {
        if (!name.equals(idField)) {
          history.fields.put(name, history.created);
        }
      });
    }
    history.readFrom = text;
    return history;
  }

  /** The stored text this history was read from; null when none was stored. */
  public String readFrom() {
    return readFrom;
  }

  private static Stamp stamp(JsonNode text) {
    return text == null || text.isNull() ? null : Stamp.parse(text.asText());
  }

  /** The history as JSON, every stamp written out (the stored text may abbreviate them). */
  public ObjectNode toJson() {
    ObjectNode json = Json.NODES.objectNode();
    if (created != null) {
      json.put("created", created.toString());
    }
    if (destroyed != null) {
      json.put("destroyed", destroyed.toString());
    }
    ObjectNode stamps = json.putObject("fields");
    fields.forEach((name, stamp) -> stamps.put(name, stamp.toString()));
    if (!retained.isEmpty()) {
      json.set("retained", retained);
    }
    if (!claimedBy.isEmpty()) {
      claimedBy.forEach(json.putArray("claimedBy")::add);
    }
    if (!takenBy.isEmpty()) {
      takenBy.forEach(json.putArray("takenBy")::add);
    }
    return json;
  }

  /**
   * The stored text: {@link #toJson()} with field stamps equal to the create stamp written
   * {@code "="}, written directly rather than through a JSON tree, since it is written with every
   * change a node applies. Field names are Java identifiers and stamps hold no character JSON
   * escapes, except in a node uid, which goes through the JSON writer.
   */
  public String toJsonText() {
    return toJsonText(null, null);
  }

  /**
   * As {@link #toJsonText()}, for a history stored with its record's JSON ({@code record}; null
   * when it is removed): a record whose every field but its id carries the create's stamp, and
   * nothing else, is written {@code {"created":s}} alone.
   */
  public String toJsonText(ObjectNode record, String idField) {
    if (record != null && created != null && destroyed == null && retained.isEmpty()
        && claimedBy.isEmpty() && takenBy.isEmpty() && onlyCreated(record, idField)) {
      StringBuilder text = new StringBuilder(48).append("{\"created\":");
      appendStamp(text, created);
      return text.append('}').toString();
    }
    StringBuilder text = new StringBuilder(64 + fields.size() * 40);
    text.append('{');
    if (created != null) {
      text.append("\"created\":");
      appendStamp(text, created);
      text.append(',');
    }
    if (destroyed != null) {
      text.append("\"destroyed\":");
      appendStamp(text, destroyed);
      text.append(',');
    }
    text.append("\"fields\":{");
    boolean first = true;
    for (Map.Entry<String, Stamp> field : fields.entrySet()) {
      if (!first) {
        text.append(',');
      }
      first = false;
      appendString(text, field.getKey());
      text.append(':');
      if (field.getValue().equals(created)) {
        text.append('"').append(SAME_AS_CREATED).append('"');
      } else {
        appendStamp(text, field.getValue());
      }
    }
    text.append('}');
    if (!retained.isEmpty()) {
      text.append(",\"retained\":").append(retained);
    }
    appendUids(text, "claimedBy", claimedBy);
    appendUids(text, "takenBy", takenBy);
    return text.append('}').toString();
  }

  /** Whether the fields with stamps are exactly the record's, each stamped by the create. */
  private boolean onlyCreated(ObjectNode record, String idField) {
    int recordFields = record.size() - (record.has(idField) ? 1 : 0);
    if (fields.size() != recordFields) {
      return false;
    }
    for (Map.Entry<String, Stamp> field : fields.entrySet()) {
      if (!field.getValue().equals(created) || !record.has(field.getKey())) {
        return false;
      }
    }
    return true;
  }

  private static void appendUids(StringBuilder text, String key, Set<String> uids) {
    if (uids.isEmpty()) {
      return;
    }
    text.append(",\"").append(key).append("\":[");
    boolean first = true;
    for (String uid : uids) {
      if (!first) {
        text.append(',');
      }
      first = false;
      appendString(text, uid);
    }
    text.append(']');
  }

  private static void appendStamp(StringBuilder text, Stamp stamp) {
    if (stamp == null) {
      text.append("null");
    } else {
      appendString(text, stamp.toString());
    }
  }

  private static void appendString(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        text.append(Json.NODES.textNode(value)); // rare: let the JSON writer escape it
        return;
      }
    }
    text.append('"').append(value).append('"');
  }

  public Stamp created() {
    return created;
  }

  public Stamp destroyed() {
    return destroyed;
  }

  /** The stamp of a field's value; null when no stamped write of it is known. */
  public Stamp field(String name) {
    return fields.get(name);
  }

  /** The fields with a known stamp, by name. */
  public Map<String, Stamp> fields() {
    return Map.copyOf(fields);
  }

  /** Values kept for the fields of a record that does not exist here; do not modify. */
  public ObjectNode retained() {
    return retained;
  }

  /**
   * Whether the record exists by this history: created after it was last destroyed. A record
   * that exists here without a known create (stored before stamps) counts as created at the
   * beginning of time.
   */
  public boolean exists(boolean existsHere) {
    if (created == null) {
      return existsHere && destroyed == null;
    }
    return created.isAfter(destroyed);
  }

  /** Whether {@code client}'s own create of this record's id was refused: the id was taken. */
  public boolean claimedBy(String client) {
    return claimedBy.contains(client);
  }

  /** The clients whose own create of this record's id was refused (see above). */
  public Set<String> claimants() {
    return Set.copyOf(claimedBy);
  }

  /** Notes that {@code client}'s own create of this record's id was refused (see above). */
  public void addClaim(String client) {
    changed |= claimedBy.add(client);
  }

  /** Ends the claim of {@code client} (see above): it gave up its own record under the id. */
  public void dropClaim(String client) {
    changed |= claimedBy.remove(client);
  }

  /** Whether {@code peer} refused this node's create of the record: it holds the id for another. */
  public boolean takenBy(String peer) {
    return takenBy.contains(peer);
  }

  /** Whether a peer holds this record's id for another record (see above). */
  public boolean takenElsewhere() {
    return !takenBy.isEmpty();
  }

  /** The peers that hold this record's id for another record (see above). */
  public Set<String> takenBy() {
    return Set.copyOf(takenBy);
  }

  /** Notes that {@code peer} holds this record's id for another record (see above). */
  public void addTakenBy(String peer) {
    changed |= takenBy.add(peer);
  }

  /** Whether a merge has changed this history since it was read or created. */
  public boolean changed() {
    return changed;
  }

  /**
   * Forgets what this node learned of the record from others, as when it may no longer see it,
   * and keeps its own edits: the fields whose latest write is an update made on this node
   * ({@code nodeUid}), with their values in {@code copy} (the copy taken away; null when this
   * node had none, and the values kept so far count). A share of the record later starts from
   * those alone, so that an edit this node sent before it lost its copy, and that the share was
   * recorded without, wins over the share's older value here as it does on the node that took
   * it. A field written by this node's own create is not kept: a create is the record's, not an
   * edit of it.
   *
   * <p>A field that merges ({@code merged}: a set every node adds to, a maximum) is kept
   * whoever wrote it last: this node's own writes are merged into its value, which the latest
   * stamp does not show, and the peer may not have them yet (they may still be on their way).
   * What it holds of others' writes came from the peer, so merging it into the share again
   * changes nothing there (unless the peer has since dropped them with the tombstone of a
   * destroy that they lost to: see the README's limits of retention).
   */
  public void forgetAllBut(String nodeUid, ObjectNode copy, Set<String> merged) {
    ObjectNode values = copy != null ? copy : retained;
    ObjectNode own = Json.NODES.objectNode();
    Map<String, Stamp> kept = new TreeMap<>();
    fields.forEach((name, stamp) -> {
      boolean ownEdit = stamp.node().equals(nodeUid) && !stamp.equals(created);
      if ((ownEdit || merged.contains(name)) && values.has(name)) {
        kept.put(name, stamp);
        own.set(name, values.get(name));
      }
    });
    changed |= created != null || destroyed != null || !kept.equals(fields)
        || !own.equals(retained);
    created = null;
    destroyed = null;
    fields.clear();
    fields.putAll(kept);
    retained = own;
  }

  /**
   * Forgets everything of the record, as when this node gives its own record a new id: what a
   * peer later sends under the old id is then a record new to it.
   */
  public void forgetAll() {
    changed |= created != null || destroyed != null || !fields.isEmpty() || !retained.isEmpty()
        || !claimedBy.isEmpty() || !takenBy.isEmpty();
    created = null;
    destroyed = null;
    fields.clear();
    retained = Json.NODES.objectNode();
    claimedBy.clear();
    takenBy.clear();
  }

  void created(Stamp stamp) {
    if (stamp.isAfter(created)) {
      created = stamp;
      changed = true;
    }
  }

  void destroyed(Stamp stamp) {
    if (stamp.isAfter(destroyed)) {
      destroyed = stamp;
      changed = true;
    }
  }

  void field(String name, Stamp stamp) {
    changed |= !stamp.equals(fields.put(name, stamp));
  }

  void retain(ObjectNode values) {
    changed |= !values.equals(retained);
    retained = values;
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
