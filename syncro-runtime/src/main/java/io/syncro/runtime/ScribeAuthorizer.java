package io.syncro.runtime;

/**
 * Decides whether a client may make a change to objects of one class (the original's
 * {@code scribe_authorized?}). Register one per class with {@link Syncro.Builder#authorizer}.
 *
 * <p>A node checks it after its own rule, which refuses any change to an existing record whose
 * recipients leave the client out (unless the node {@linkplain Syncro.Builder#trust trusts} the
 * client). A refused scribe is answered with {@code error} 403 and changes nothing; the session
 * carries on.
 *
 * @param <T> the synced class
 */
@FunctionalInterface
public interface ScribeAuthorizer<T> {

  /**
   * Whether the change may be applied.
   *
   * @param clientUid the client the scribe came from: always its session's client
   * @param scribe the change; {@link Scribe#type()} says which kind
   * @param current the record as it is now, or null when there is none (a create)
   */
  boolean allows(String clientUid, Scribe scribe, T current);

  /** Allows a change only when both this and {@code other} allow it. */
  default ScribeAuthorizer<T> and(ScribeAuthorizer<T> other) {
    java.util.Objects.requireNonNull(other, "other");
    return (client, scribe, current) ->
        allows(client, scribe, current) && other.allows(client, scribe, current);
  }

  /** Allows every change. */
  static <T> ScribeAuthorizer<T> allowAll() {
    return (client, scribe, current) -> true;
  }

  /**
   * The default rule: a client may change an existing record only when it is among the record's
   * recipients; anyone may create.
   */
  static <T> ScribeAuthorizer<T> recipientsOnly(SyncModel<T, ?> model) {
    java.util.Objects.requireNonNull(model, "model");
    return (client, scribe, current) -> current == null || model.recipientsOf(current).includes(client);
  }
}
