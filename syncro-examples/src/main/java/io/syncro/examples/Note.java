package io.syncro.examples;

import io.syncro.Syncable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The examples' model: a note with a title, tags and an owner, synced with every client. */
@Syncable
public class Note {
  String id;
  String title;
  List<String> tags = new ArrayList<>();
  String owner;

  public Note() {}

  public Note(String id, String title, String owner) {
    this.id = id;
    this.title = title;
    this.owner = owner;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public void rename(String title) {
    this.title = title;
  }

  public List<String> tags() {
    return tags;
  }

  public String owner() {
    return owner;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Note that
        && Objects.equals(id, that.id)
        && Objects.equals(title, that.title)
        && Objects.equals(tags, that.tags)
        && Objects.equals(owner, that.owner);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, tags, owner);
  }

  @Override
  public String toString() {
    return "\"" + title + "\" " + tags + " (" + id + ", owner " + owner + ")";
  }
}
