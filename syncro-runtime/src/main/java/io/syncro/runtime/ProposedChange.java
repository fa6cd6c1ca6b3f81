package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import io.syncro.ScribeType;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A change a peer asks a node to make to one record, as a {@link ScribeAuthorizer} sees it: who
 * asks, what the record is now, what it would become, and which synced fields would change, all
 * typed, so that no authorizer has to read the scribe's JSON. Nothing is applied while it is
 * being decided. Meant for the authorizer's call that receives it; not thread-safe.
 *
 * @param <T> the synced class
 */
public final class ProposedChange<T> {
  private final String client;
  private final Scribe scribe;
  private final T current;
  private Supplier<T> proposedCopy;
  private T proposed;
  private Supplier<Set<String>> listChangedFields;
  private Set<String> changedFields;

  /**
   * @param proposedCopy makes the copy of the record as it would be, on the first call of
   *     {@link #proposed()}: most authorizers never ask
   * @param listChangedFields lists the changed fields, on the first call that needs them
   */
  ProposedChange(String client, Scribe scribe, T current, Supplier<T> proposedCopy,
      Supplier<Set<String>> listChangedFields) {
    this.client = requireNonNull(client, "client");
    this.scribe = requireNonNull(scribe, "scribe");
    this.current = current;
    this.proposedCopy = requireNonNull(proposedCopy, "proposedCopy");
    this.listChangedFields = requireNonNull(listChangedFields, "listChangedFields");
  }

  /** The uid of the client asking: always its session's client, whatever the scribe says. */
  public String client() {
    return client;
  }

  /** Create, update or destroy. */
  public ScribeType type() {
    return scribe.type();
  }

  /** The record as it is now; null when there is none (a create). */
  public T current() {
    return current;
  }

  /**
   * The record as it would be after the change (as it is, when the change would change nothing):
   * a copy, so changing it changes nothing; null for a destroy.
   */
  public T proposed() {
    if (proposedCopy != null) {
      proposed = proposedCopy.get();
      proposedCopy = null;
    }
    return proposed;
  }

  /** The synced fields, by name, whose values would change (every field of a create). */
  public Set<String> changedFields() {
    if (listChangedFields != null) {
      changedFields = Set.copyOf(listChangedFields.get());
      listChangedFields = null;
    }
    return changedFields;
  }

  /** Whether the change would change this field. */
  public boolean changes(String field) {
    return changedFields().contains(field);
  }

  /** The scribe as the peer sent it, for what the typed view leaves out. */
  public Scribe scribe() {
    return scribe;
  }

  @Override
  public String toString() {
    return "ProposedChange[" + client + " " + type().wireName() + " " + changedFields() + "]";
  }
}
