package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

/** The one check the repositories make before keeping an object: that it has an id. */
final class Ids {
  private Ids() {}

  /**
   * The object's id.
   *
   * @throws NullPointerException when the object is null
   * @throws IllegalArgumentException when it has no id; {@code action} says what was refused
   */
  static <T, ID> ID required(SyncModel<T, ID> model, T object, String action) {
    requireNonNull(object, "object");
    ID id = model.idOf(object);
    if (id == null) {
      throw new IllegalArgumentException("cannot " + action + " a " + model.klass() + " without an id");
    }
    return id;
  }
}
