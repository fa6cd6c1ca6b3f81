package io.syncro.runtime;

import java.util.Objects;

/**
 * Decides whether a client may make a change to objects of one class (the original's
 * {@code scribe_authorized?}). Register one per class with {@link Syncro.Builder#authorizer}.
 *
 * <pre>{@code
 * // Readers may edit a note; only its owner may delete it or give it away.
 * ScribeAuthorizer<Note> rule = change -> {
 *   if (change.current() == null) {
 *     return change.client().equals(change.proposed().owner);   // a create: only for oneself
 *   }
 *   boolean owner = change.client().equals(change.current().owner);
 *   return owner || (change.type() == ScribeType.UPDATE && !change.changes("owner"));
 * };
 * }</pre>
 *
 * <p>A node checks it after its own rule, which refuses any change to an existing record whose
 * recipients leave the client out (unless the node {@linkplain Syncro.Builder#trust trusts} the
 * client). It is asked about every scribe whose record exists or that would create one, even one
 * that would change nothing (a create of an id that exists); an update or destroy of a missing
 * record is skipped without asking. A refused scribe is answered with {@code error} 403 and
 * changes nothing; the session carries on.
 *
 * @param <T> the synced class
 */
@FunctionalInterface
public interface ScribeAuthorizer<T> {

  /** Whether the change may be applied. */
  boolean allows(ProposedChange<T> change);

  /** Allows a change only when both this and {@code other} allow it. */
  default ScribeAuthorizer<T> and(ScribeAuthorizer<T> other) {
    Objects.requireNonNull(other, "other");
    return change -> allows(change) && other.allows(change);
  }

  /** Allows every change. */
  static <T> ScribeAuthorizer<T> allowAll() {
    return change -> true;
  }

  /**
   * The default rule: a client may change an existing record only when it is among the record's
   * recipients; anyone may create.
   */
  static <T> ScribeAuthorizer<T> recipientsOnly(SyncModel<T, ?> model) {
    Objects.requireNonNull(model, "model");
    return change -> change.current() == null
        || model.recipientsOf(change.current()).includes(change.client());
  }
}
