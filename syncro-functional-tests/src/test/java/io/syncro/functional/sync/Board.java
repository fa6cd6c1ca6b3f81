package io.syncro.functional.sync;

import io.syncro.Syncable;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model with fields that merge instead of the latest winning, for the convergence tests:
 * {@code tags} keeps every node's additions ({@code FieldMerge.union()}), {@code high} the
 * greatest value written ({@code FieldMerge.max()}).
 */
@Syncable
public class Board {
  String id;
  String title;
  Set<String> tags = new TreeSet<>();
  int high;

  public Board() {}

  public Board(String id, String title) {
    this.id = id;
    this.title = title;
  }

  @Override
  public String toString() {
    return title + " " + new TreeSet<>(tags) + " " + high;
  }
}
