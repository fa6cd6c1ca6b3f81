package io.syncro.runtime.store;

import java.util.List;

/**
 * One page of a class's stored objects, each with its id and merge history
 * ({@link ScribeStore#objectPage}): what a snapshot of a node's records is read from.
 *
 * @param objects the objects of this page
 * @param next where the next page starts, to pass back to {@code objectPage}; null when this
 *     page is the last
 */
public record ObjectPage(List<Entry> objects, String next) {

  /**
   * One stored object.
   *
   * @param id the object's id as the store keys it
   * @param json the object's JSON
   * @param history its record's merge history as stored; null when none is
   */
  public record Entry(String id, String json, String history) {}

  public ObjectPage {
    objects = List.copyOf(objects);
  }
}
