package io.syncro;

import java.util.Locale;

/** The kind of change a scribe records. */
public enum ScribeType {
  /** A new object: the scribe's data holds every synced field. */
  CREATE,
  /** A changed object: the scribe's data holds the id and only the fields that changed. */
  UPDATE,
  /** A removed object: the scribe's data holds the id alone. */
  DESTROY;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name used on the wire: {@code create}, {@code update} or {@code destroy}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The type with the given wire name.
   *
   * @throws IllegalArgumentException when the name is not one of the three wire names
   */
  public static ScribeType fromWireName(String wireName) {
    for (ScribeType type : values()) {
      if (type.wireName.equals(wireName)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown scribe type: " + wireName);
  }
}
