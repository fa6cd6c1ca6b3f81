package io.syncro.functional.sync;

import io.syncro.Syncable;
import java.util.Objects;

/** A small model synced with everyone, for the session tests. */
@Syncable
public class Memo {
  String id;
  String text;
  int version;

  public Memo() {}

  public Memo(String id, String text) {
    this.id = id;
    this.text = text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Memo that
        && Objects.equals(id, that.id)
        && Objects.equals(text, that.text)
        && version == that.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, text, version);
  }

  @Override
  public String toString() {
    return "Memo{" + id + ", " + text + ", v" + version + "}";
  }
}
