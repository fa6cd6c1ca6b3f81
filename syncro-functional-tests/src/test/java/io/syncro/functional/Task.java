package io.syncro.functional;

import io.syncro.ScribeType;
import io.syncro.SyncIgnore;
import io.syncro.Syncable;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * Inheritance with a bound type variable, enums, java.time, a map, a nested static class, and
 * destroys left unrecorded.
 */
@Syncable(except = ScribeType.DESTROY)
public class Task extends Entity<Integer> {
  public enum Priority { LOW, HIGH }

  public Priority priority;
  public LocalDate due;
  public Duration estimate;
  public Map<String, Integer> votes;
  public Step[] steps;
  public Address place;
  @SyncIgnore public Object localHandle;

  /** A nested static synced class. */
  @Syncable(klass = "TaskComment")
  public static class Comment {
    public long id;
    public char mark;
    public double score;
    public Float weight;
    public byte level;
  }

  /** Nested value without equals: compared by its JSON form. */
  public static class Step {
    public String what;
    public boolean done;

    public Step() {}

    public Step(String what, boolean done) {
      this.what = what;
      this.done = done;
    }
  }
}
