package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who receives a scribe: every client, or the clients named by their uids. Immutable.
 */
public final class Recipients {
  private static final Recipients EVERYONE = new Recipients(null);

  /** Null means everyone; otherwise an unmodifiable set, possibly empty (nobody). */
  private final Set<String> uids;

  private Recipients(Set<String> uids) {
    this.uids = uids;
  }

  /** Every client, the default for a model without a {@code scribeClients()} method. */
  public static Recipients everyone() {
    return EVERYONE;
  }

  /**
   * The clients with the given uids, in the given order; an empty collection means nobody.
   *
   * @throws NullPointerException when the collection or one of its uids is null
   */
  public static Recipients of(Collection<String> uids) {
    requireNonNull(uids, "uids");
    Set<String> copy = new LinkedHashSet<>(uids.size() * 2);
    for (String uid : uids) {
      copy.add(requireNonNull(uid, "a recipient uid is null"));
    }
    return new Recipients(Collections.unmodifiableSet(copy));
  }

  /** True when every client receives the scribe. */
  public boolean isEveryone() {
    return uids == null;
  }

  /**
   * The named recipients.
   *
   * @throws IllegalStateException when the scribe goes to everyone (check {@link #isEveryone()})
   */
  public Set<String> uids() {
    if (uids == null) {
      throw new IllegalStateException("addressed to everyone, not to named clients");
    }
    return uids;
  }

  /** True when the client with this uid receives the scribe. */
  public boolean includes(String uid) {
    return uids == null || uids.contains(uid);
  }

  /** The clients either of these names: everyone when either is everyone. */
  public Recipients union(Recipients other) {
    requireNonNull(other, "other");
    if (isEveryone() || other.isEveryone()) {
      return EVERYONE;
    }
    if (uids.containsAll(other.uids)) {
      return this;
    }
    Set<String> both = new LinkedHashSet<>(uids);
    both.addAll(other.uids);
    return new Recipients(Collections.unmodifiableSet(both));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Recipients && Objects.equals(uids, ((Recipients) other).uids);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(uids);
  }

  @Override
  public String toString() {
    return uids == null ? "everyone" : uids.toString();
  }
}
