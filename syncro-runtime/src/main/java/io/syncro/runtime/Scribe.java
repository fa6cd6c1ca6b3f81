package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.ScribeJson;
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
 * <p>Scribes are immutable and safe to share between threads, with one caveat: the
 * {@link #data()} tree is shared rather than copied, so treat it as read-only.
 */
public final class Scribe {
  private final String id;
  private final String klass;
  private final ScribeType type;
  private final JsonNode data;
  private final Recipients recipients;
  private final String origin;
  private final Stamp stamp;

  private Scribe(Builder builder) {
    this.id = builder.id;
    this.klass = requireNonNull(builder.klass, "klass");
    this.type = requireNonNull(builder.type, "type");
    this.data = requireNonNull(builder.data, "data");
    this.recipients = builder.recipients;
    this.origin = builder.origin;
    this.stamp = builder.stamp;
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

  /** The change itself, shaped by {@link #type()}; shared, not copied: do not modify it. */
  public JsonNode data() {
    return data;
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
        .data(data)
        .recipients(recipients)
        .origin(origin)
        .stamp(stamp);
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
        && data.equals(that.data)
        && recipients.equals(that.recipients)
        && Objects.equals(origin, that.origin)
        && Objects.equals(stamp, that.stamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, klass, type, data, recipients, origin, stamp);
  }

  @Override
  public String toString() {
    return "Scribe{id=" + id + ", klass=" + klass + ", type=" + type.wireName() + ", data=" + data
        + ", recipients=" + recipients + (origin == null ? "" : ", origin=" + origin)
        + (stamp == null ? "" : ", stamp=" + stamp) + "}";
  }

  /** Builds a {@link Scribe}; {@code klass}, {@code type} and {@code data} are required. */
  public static final class Builder {
    private String id;
    private String klass;
    private ScribeType type;
    private JsonNode data;
    private Recipients recipients = Recipients.everyone();
    private String origin;
    private Stamp stamp;

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

    public Scribe build() {
      return new Scribe(this);
    }
  }
}
