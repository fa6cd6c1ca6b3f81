package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import io.syncro.ScribeType;
import java.util.Set;

/**
 * A change a peer asks a node to make to one record, as a {@link ScribeAuthorizer} sees it: who
 * asks, what the record is now, what it would become, and which synced fields would change, all
 * typed, so that no authorizer has to read the scribe's JSON. Nothing is applied while it is
 * being decided.
 *
 * @param <T> the synced class
 */
public final class ProposedChange<T> {
  private final String client;
  private final Scribe scribe;
  private final T current;
  private final T proposed;
  private final Set<String> changedFields;

  ProposedChange(String client, Scribe scribe, T current, T proposed, Set<String> changedFields) {
    this.client = requireNonNull(client, "client");
    this.scribe = requireNonNull(scribe, "scribe");
    this.current = current;
    this.proposed = proposed;
    this.changedFields = Set.copyOf(changedFields);
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
    return proposed;
  }

  /** The synced fields, by name, whose values would change (every field of a create). */
  public Set<String> changedFields() {
    return changedFields;
  }

  /** Whether the change would change this field. */
  public boolean changes(String field) {
    return changedFields.contains(field);
  }

  /** The scribe as the peer sent it, for what the typed view leaves out. */
  public Scribe scribe() {
    return scribe;
  }

  @Override
  public String toString() {
    return "ProposedChange[" + client + " " + type().wireName() + " " + changedFields + "]";
  }
}
