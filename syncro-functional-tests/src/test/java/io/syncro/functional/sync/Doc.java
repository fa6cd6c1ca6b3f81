package io.syncro.functional.sync;

import io.syncro.Syncable;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model whose recipients change, for the convergence tests: its owner and the readers the
 * owner shares it with see it; only they receive its scribes.
 */
@Syncable
public class Doc {
  String id;
  String text;
  String owner;
  Set<String> readers = new TreeSet<>();

  public Doc() {}

  public Doc(String id, String text, String owner, Set<String> readers) {
    this.id = id;
    this.text = text;
    this.owner = owner;
    this.readers = new TreeSet<>(readers);
  }

  Set<String> scribeClients() {
    Set<String> uids = new LinkedHashSet<>(readers);
    uids.add(owner);
    return uids;
  }

  boolean visibleTo(String uid) {
    return owner.equals(uid) || readers.contains(uid);
  }

  @Override
  public String toString() {
    return text + " by " + owner + " for " + new TreeSet<>(readers);
  }
}
