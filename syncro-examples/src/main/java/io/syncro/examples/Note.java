package io.syncro.examples;

import io.syncro.Syncable;
import io.syncro.runtime.Recipients;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The examples' model: a note with a title, tags and an owner, synced with every client until
 * its owner shares it with named clients: then only the owner and they see it.
 */
@Syncable
public class Note {
  String id;
  String title;
  List<String> tags = new ArrayList<>();
  String owner;
  /** The clients the owner shares the note with; empty: every client sees it. */
  Set<String> sharedWith = new LinkedHashSet<>();

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

  public Set<String> sharedWith() {
    return sharedWith;
  }

  /** Shares the note with these clients only (and its owner); none: with everyone. */
  public void shareWith(Set<String> uids) {
    this.sharedWith = new LinkedHashSet<>(uids);
  }

  Recipients scribeClients() {
    if (sharedWith == null || sharedWith.isEmpty()) { // null: a peer that sent none
      return Recipients.everyone();
    }
    Set<String> uids = new LinkedHashSet<>(sharedWith);
    uids.add(owner);
    return Recipients.of(uids);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Note that
        && Objects.equals(id, that.id)
        && Objects.equals(title, that.title)
        && Objects.equals(tags, that.tags)
        && Objects.equals(owner, that.owner)
        && Objects.equals(sharedWith, that.sharedWith);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, tags, owner, sharedWith);
  }

  @Override
  public String toString() {
    return "\"" + title + "\" " + tags + " (" + id + ", owner " + owner
        + (sharedWith == null || sharedWith.isEmpty() ? "" : ", shared with " + sharedWith) + ")";
  }
}
