package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.ScribeJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded change to a synced object: replaying it on another client brings that client's
 * copy of the object to the same state.
 *
 * <p>On the wire a scribe is {@code {"klass":K,"type":T,"data":D,"id":I}}; its
 * {@link #recipients()} and {@link #origin()} stay on the node. The data is, for a create, an
 * object with every synced field; for an update, {@code [recordId, {changed fields}]}; for a
 * destroy, {@code [recordId]}.
 *
 * <p>A change that changes who sees its record (its {@linkplain #recipients() recipients}) is
 * one scribe with a view for each client ({@link #forClient}): those who saw the record before
 * and after get the change, those who see it from now on get the record whole (a
 * {@linkplain AccessChange#share() share}), those who no longer see it get a
 * {@linkplain #isRemoval() removal}. A node works them out when it sends the scribe, so a client that was offline gets
 * the views of every such change, in order, when it syncs.
 *
 * <p>Scribes are immutable and safe to share between threads, with one caveat: the
 * {@link #data()} tree is shared rather than copied, so treat it as read-only.
 *
 * <p>A scribe holds its data as a tree, as its JSON text, or both: a tree takes several times the
 * memory of its text, so a store that keeps scribes in memory keeps them {@linkplain #compacted()
 * as text}, and the text, once written, is kept for every later write of the scribe.
 *
 * <p>An update may also be a {@linkplain #notice() notice}: what one node tells one peer of the
 * peer's change (refused, or its id taken), changing nothing.
 *
 * <p>(About 530 lines: the value, its views for a change of recipients, its kinds of notice,
 * and its documented {@link Builder}, which is most of the public surface of a scribe.)
 */
public final class Scribe {
  private final String id;
  private final String klass;
  private final ScribeType type;
  /** The data as a tree; null for a scribe {@linkplain #compacted() kept as text}. */
  private final JsonNode data;
  /**
   * The data's JSON text: given, or written on first use (a benign race: a String is immutable
   * and every writer writes the same).
   */
  private String dataJson;
  private final Recipients recipients;
  private final String origin;
  private final Stamp stamp;
  private final Map<String, Stamp> fieldStamps;
  private final boolean removal;
  private final Notice notice;
  private final AccessChange accessChange;

  private Scribe(Builder builder) {
    this.id = builder.id;
    this.klass = requireNonNull(builder.klass, "klass");
    this.type = requireNonNull(builder.type, "type");
    this.data = builder.data;
    this.dataJson = builder.dataJson;
    if (data == null && dataJson == null) {
      throw new NullPointerException("data");
    }
    this.recipients = builder.recipients;
    this.origin = builder.origin;
    this.stamp = builder.stamp;
    this.fieldStamps = builder.fieldStamps;
    this.removal = builder.removal;
    this.notice = builder.notice;
    this.accessChange = builder.accessChange;
    if (removal && type != ScribeType.DESTROY) {
      throw new IllegalArgumentException("only a destroy can be a removal, not a " + type.wireName());
    }
    if (notice != null && type != ScribeType.UPDATE) {
      throw new IllegalArgumentException("only an update can be a notice, not a " + type.wireName());
    }

  }

  /** A builder with every client as recipient, no id and no origin. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a scribe from its wire form, as sent by a peer. Keys other than {@code klass},
   * {@code type}, {@code data}, {@code stamp} and {@code id} are ignored. The scribe has no origin and goes to
   * everyone until the caller says otherwise.
   *
   * @throws InvalidScribeException when the text is not JSON or not a scribe
   */
  public static Scribe fromJson(String json) {
    return ScribeJson.read(requireNonNull(json, "json"));
  }

  /**
   * Reads a scribe from a JSON tree already parsed from a peer's message.
   *
   * @throws InvalidScribeException when the tree is not a scribe
   */
  public static Scribe fromTree(JsonNode tree) {
    return ScribeJson.read(requireNonNull(tree, "tree"));
  }

  /**
   * The id this node gave the scribe when it stored it, or null while it is not stored. A
   * remote's scribe ids are opaque strings, never compared.
   */
  public String id() {
    return id;
  }

  /** The wire name of the changed object's class. */
  public String klass() {
    return klass;
  }

  public ScribeType type() {
    return type;
  }

  /**
   * The change itself, shaped by {@link #type()}; shared, not copied: do not modify it. A scribe
   * {@linkplain #compacted() kept as text} reads its text into a new tree at each call.
   *
   * @throws InvalidScribeException when the scribe was built from text that is not JSON
   */
  public JsonNode data() {
    if (data != null) {
      return data;
    }
    try {
      return Json.readTree(dataJson);
    } catch (JsonProcessingException e) {
      throw new InvalidScribeException("scribe data is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The data as compact JSON, exactly as the wire carries it; written on first use and kept, so a
   * scribe sent to many clients and stored is written once.
   */
  public String dataJson() {
    String text = dataJson;
    if (text == null) {
      text = Json.writeTree(data);
      dataJson = text;
    }
    return text;
  }

  /**
   * This scribe holding its data as JSON text only, without the tree: what a store that keeps
   * scribes in memory keeps, as the tree takes several times the memory. {@link #data()} of the
   * result reads the text at each call; writing it costs no more than copying the text.
   */
  public Scribe compacted() {
    return data == null ? this : toBuilder().dataJson(dataJson()).build();
  }

  /** Who receives this scribe. Decided when it is recorded; never sent on the wire. */
  public Recipients recipients() {
    return recipients;
  }

  /**
   * The uid of the client the change came from, or empty when it was made on this node. A node
   * never sends a scribe back to the client it came from.
   */
  public Optional<String> origin() {
    return Optional.ofNullable(origin);
  }

  /**
   * When the change was made, on the hybrid logical clock of the node that made it; empty for a
   * scribe from a peer that does not stamp (the receiving node stamps it on arrival). Between
   * nodes the greatest stamp wins each field.
   */
  public Optional<Stamp> stamp() {
    return Optional.ofNullable(stamp);
  }

  /**
   * What a node keeps with a change that changed who sees its record, to send each client its
   * view ({@link #forClient}). Never sent on the wire.
   *
   * @param formerRecipients who saw the record before the change
   * @param share the record whole after the change, a create stamped as its fields are, for
   *     those who see it from now on; null when there are none
   * @param recordId the record's id as scribe data holds it, for the removal sent to those who
   *     no longer see it
   */
  public record AccessChange(Recipients formerRecipients, Scribe share, JsonNode recordId) {
    public AccessChange {
      requireNonNull(formerRecipients, "formerRecipients");
      requireNonNull(recordId, "recordId");
      if (share != null && share.type() != ScribeType.CREATE) {
        throw new IllegalArgumentException("a share is a create, not a " + share.type());
      }
    }

    /** The record whole, for those who see it from this change on; empty when there are none. */
    public Optional<Scribe> shared() {
      return Optional.ofNullable(share);
    }
  }

  /**
   * The stamps of a shared record's fields ({@link AccessChange#share()}) that differ from
   * {@link #stamp()}, by field name: on the wire as {@code "stamps"}. Empty for other scribes.
   */
  public Map<String, Stamp> fieldStamps() {
    return fieldStamps;
  }

  /**
   * Whether this destroy is a removal: the receiving node loses its copy because it may no
   * longer see the record, which goes on existing for others. A removal is not recorded or
   * passed on by the node that receives it. On the wire as {@code "removal":true}.
   */
  public boolean isRemoval() {
    return removal;
  }

  /**
   * What a node tells one peer of a change the peer made, or of its own record under an id the
   * peer holds, sent as an update of the record with no fields (so that it changes nothing),
   * stored for that peer alone, and sent only to Java peers. A node takes the first two only from
   * peers it trusts, a release from anyone (it ends only that peer's own claim). See
   * {@link #notice()}.
   */
  public enum Notice {
    /**
     * The peer's create was refused because the id is taken, by a record the peer may not see.
     * The peer keeps its own record; its {@link SyncedRepository#onIdConflict} listeners are
     * told, and can give it a new id. On the wire as {@code "taken":true}.
     */
    ID_TAKEN("taken"),
    /**
     * The peer's change of a record it sees was refused (its authorizer said no); what puts the
     * peer back in step came before. Its {@link SyncedRepository#onRefusedByPeer} listeners are
     * told. On the wire as {@code "refused":true}.
     */
    REFUSED("refused"),
    /**
     * Sent back by a node told {@link #ID_TAKEN}, once it gave up its own record under the id
     * (gave it a new id, or let the peer's record take its place): the peer's note that this
     * node's changes of the id are of another record ends, so that what follows is taken for
     * changes of the peer's record. In the sender's log after its changes of its own record, so
     * the peer meets those first, and refuses them. On the wire as {@code "released":true}.
     */
    RELEASED("released");

    private final String wireKey;

    Notice(String wireKey) {
      this.wireKey = wireKey;
    }

    /** The key that marks the notice on the wire, with the value {@code true}. */
    public String wireKey() {
      return wireKey;
    }

    /** The notice a wire key marks; null when the key marks none. */
    public static Notice ofWireKey(String key) {
      for (Notice notice : values()) {
        if (notice.wireKey.equals(key)) {
          return notice;
        }
      }
      return null;
    }
  }

  /** The notice this update is rather than a change; empty for a change. */
  public Optional<Notice> notice() {
    return Optional.ofNullable(notice);
  }

  /** Whether this update is a notice ({@link #notice()}), not a change. */
  public boolean isNotice() {
    return notice != null;
  }

  /** A notice about one record, for {@code client} alone. */
  static Scribe notice(Notice kind, String klass, JsonNode recordId, String client) {
    return builder().klass(klass).type(ScribeType.UPDATE)
        .data(Json.NODES.arrayNode(2).add(recordId).add(Json.NODES.objectNode()))
        .recipients(Recipients.of(List.of(client))).notice(kind).build();
  }


  /**
   * How this change changed who sees its record; empty when it did not. The scribe is stored
   * for the former recipients as well as the new ones ({@link #audience()}).
   */
  public Optional<AccessChange> accessChange() {
    return Optional.ofNullable(accessChange);
  }

  /** Everyone this scribe has a view for: its recipients and, after a change of them, the former. */
  public Recipients audience() {
    return accessChange == null
        ? recipients : recipients.union(accessChange.formerRecipients());
  }

  /**
   * What a client is sent of this scribe: the scribe itself, unless it changed who sees its
   * record; then the record whole ({@link AccessChange#share()}) for a client that sees it only from now
   * on, a removal for one that no longer sees it. Views have this scribe's id. Empty when the
   * scribe is not for that client.
   */
  public Optional<Scribe> forClient(String uid) {
    requireNonNull(uid, "uid");
    boolean after = recipients.includes(uid);
    if (accessChange == null) {
      return after ? Optional.of(this) : Optional.empty();
    }
    boolean before = accessChange.formerRecipients().includes(uid);
    if (after && before) {
      return Optional.of(this);
    }
    if (after) {
      return accessChange.share() == null ? Optional.of(this) : Optional.of(shareView());
    }
    return before ? Optional.of(removalView()) : Optional.empty();
  }

  // Views are made once per scribe, on first use (a benign race: both results are equal), so a
  // node sending one scribe to many clients writes each view's JSON once.
  private Scribe shareView;
  private Scribe removalView;

  private Scribe shareView() {
    Scribe view = shareView;
    if (view == null) {
      view = accessChange.share().toBuilder()
          .id(id).recipients(recipients).origin(origin).build();
      shareView = view;
    }
    return view;
  }

  private Scribe removalView() {
    Scribe view = removalView;
    if (view == null) {
      // Stamped as the change that took the clients off: a copy one of them created anew after
      // it is not the record the change was about, and stays (see SyncedRepository#removeLocally).
      view = removal(klass, accessChange.recordId(), accessChange.formerRecipients()).toBuilder()
          .id(id).origin(origin).stamp(stamp).build();
      removalView = view;
    }
    return view;
  }

  /** A removal of one record ({@link #isRemoval()}), for the given clients. */
  static Scribe removal(String klass, JsonNode recordId, Recipients recipients) {
    return new Builder().klass(klass).type(ScribeType.DESTROY)
        .data(Json.NODES.arrayNode(1).add(recordId)).recipients(recipients).removal(true).build();
  }

  /** This scribe with the given id, as assigned by a store. */
  public Scribe withId(String id) {
    return toBuilder().id(requireNonNull(id, "id")).build();
  }

  /** A builder holding this scribe's values. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .klass(klass)
        .type(type)
        .data(data, dataJson)
        .recipients(recipients)
        .origin(origin)
        .stamp(stamp)
        .fieldStamps(fieldStamps)
        .removal(removal)
        .notice(notice)
        .accessChange(accessChange);
  }

  /**
   * The wire form: compact JSON with the keys in the original's order, {@code id} left out while
   * the scribe has none, and every non-ASCII character escaped as {@code \}{@code uXXXX}.
   */
  public String toJson() {
    return ScribeJson.write(this);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Scribe)) {
      return false;
    }
    Scribe that = (Scribe) other;
    return Objects.equals(id, that.id)
        && klass.equals(that.klass)
        && type == that.type
        && (data == null || that.data == null
            ? dataJson().equals(that.dataJson()) : data.equals(that.data))
        && recipients.equals(that.recipients)
        && Objects.equals(origin, that.origin)
        && Objects.equals(stamp, that.stamp)
        && fieldStamps.equals(that.fieldStamps)
        && removal == that.removal
        && notice == that.notice
        && Objects.equals(accessChange, that.accessChange);
  }

  @Override
  public int hashCode() {
    // The text, not the tree: equal scribes held as tree and as text have equal text.
    return Objects.hash(id, klass, type, dataJson(), recipients, origin, stamp, fieldStamps,
        removal, notice, accessChange);
  }

  @Override
  public String toString() {
    return "Scribe{id=" + id + ", klass=" + klass + ", type=" + type.wireName() + ", data=" + dataJson()
        + ", recipients=" + recipients + (origin == null ? "" : ", origin=" + origin)
        + (stamp == null ? "" : ", stamp=" + stamp)
        + (fieldStamps.isEmpty() ? "" : ", fieldStamps=" + fieldStamps)
        + (removal ? ", removal" : "")
        + (notice == null ? "" : ", notice " + notice.wireKey())
        + (accessChange == null ? "" : ", formerRecipients=" + accessChange.formerRecipients())
        + "}";
  }

  /** Builds a {@link Scribe}; {@code klass}, {@code type} and {@code data} are required. */
  public static final class Builder {
    private String id;
    private String klass;
    private ScribeType type;
    private JsonNode data;
    private String dataJson;
    private Recipients recipients = Recipients.everyone();
    private String origin;
    private Stamp stamp;
    private Map<String, Stamp> fieldStamps = Map.of();
    private boolean removal;
    private Notice notice;
    private AccessChange accessChange;

    private Builder() {}

    /** The id a store assigned; null while the scribe is not stored. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder klass(String klass) {
      this.klass = requireNonNull(klass, "klass");
      return this;
    }

    public Builder type(ScribeType type) {
      this.type = requireNonNull(type, "type");
      return this;
    }

    /** The change; the tree is kept as given, so do not modify it afterwards. */
    public Builder data(JsonNode data) {
      this.data = requireNonNull(data, "data");
      this.dataJson = null;
      return this;
    }

    /**
     * The change as its compact JSON text (an object or an array, as {@link Scribe#dataJson()}
     * writes it), kept as text: see {@link Scribe#compacted()}. The text is not read here.
     */
    public Builder dataJson(String dataJson) {
      this.dataJson = requireNonNull(dataJson, "dataJson");
      this.data = null;
      return this;
    }

    /** A tree and, when already written, its text: they must agree. */
    Builder data(JsonNode data, String dataJson) {
      this.data = data;
      this.dataJson = dataJson;
      return this;
    }

    public Builder recipients(Recipients recipients) {
      this.recipients = requireNonNull(recipients, "recipients");
      return this;
    }

    /** The uid of the client the change came from; null when it was made on this node. */
    public Builder origin(String origin) {
      this.origin = origin;
      return this;
    }

    /** When the change was made; null when it is not stamped (yet). */
    public Builder stamp(Stamp stamp) {
      this.stamp = stamp;
      return this;
    }

    /** The stamps of a shared record's fields that differ from the scribe's own stamp. */
    public Builder fieldStamps(Map<String, Stamp> fieldStamps) {
      this.fieldStamps = Map.copyOf(requireNonNull(fieldStamps, "fieldStamps"));
      return this;
    }

    /** Whether this destroy only removes the receiver's copy ({@link Scribe#isRemoval()}). */
    public Builder removal(boolean removal) {
      this.removal = removal;
      return this;
    }

    /** Makes this update a notice ({@link Scribe#notice()}); null for a change. */
    public Builder notice(Notice notice) {
      this.notice = notice;
      return this;
    }

    /** Marks a change that changed who sees its record; null for one that did not. */
    public Builder accessChange(AccessChange accessChange) {
      this.accessChange = accessChange;
      return this;
    }

    public Scribe build() {
      return new Scribe(this);
    }
  }
}
