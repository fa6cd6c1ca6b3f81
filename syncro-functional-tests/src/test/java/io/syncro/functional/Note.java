package io.syncro.functional;

import io.syncro.Syncable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A note shared by its owner with named readers: fields, a list, and recipients. */
@Syncable
public class Note {
  public String id;
  public String title;
  public List<String> tags = new ArrayList<>();
  public String owner;
  public Set<String> readers = Set.of();
  transient int timesOpened;

  public Note() {}

  public Note(String id, String title, String owner) {
    this.id = id;
    this.title = title;
    this.owner = owner;
  }

  Set<String> scribeClients() {
    Set<String> uids = new java.util.LinkedHashSet<>();
    uids.add(owner);
    uids.addAll(readers);
    return uids;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Note)) {
      return false;
    }
    Note that = (Note) other;
    return Objects.equals(id, that.id)
        && Objects.equals(title, that.title)
        && Objects.equals(tags, that.tags)
        && Objects.equals(owner, that.owner)
        && Objects.equals(readers, that.readers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, tags, owner, readers);
  }

  @Override
  public String toString() {
    return "Note{" + id + ", " + title + ", " + tags + ", " + owner + ", " + readers + "}";
  }
}
