package io.syncro.functional;

import java.time.Instant;

/** A superclass that is not synced itself; its fields are inherited by synced subclasses. */
public abstract class Entity<V> {
  public String id;
  public Instant updatedAt;
  public V value;
}
