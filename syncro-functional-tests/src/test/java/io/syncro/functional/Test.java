package io.syncro.functional;

import io.syncro.Syncable;

/** The original library's test class: an id and a name. */
@Syncable
public class Test {
  public String id;
  public String name;

  public Test() {}

  public Test(String id, String name) {
    this.id = id;
    this.name = name;
  }
}
