package io.syncro.runtime.store;

/** How stores whose ids are dense sequences read a cursor. */
final class StoreCursors {
  private StoreCursors() {}

  /**
   * The sequence a cursor stands for in a store holding sequences 1 to {@code last}: 0 (from the
   * start) for null, and for anything the store never minted, as the protocol asks.
   */
  static long position(String cursor, long last) {
    if (cursor == null) {
      return 0;
    }
    try {
      long sequence = Long.parseLong(cursor);
      return sequence >= 1 && sequence <= last ? sequence : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
