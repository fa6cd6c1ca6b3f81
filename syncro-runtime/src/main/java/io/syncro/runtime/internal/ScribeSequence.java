package io.syncro.runtime.internal;

/** The order of scribe ids minted by a store: increasing integers, as text. */
public final class ScribeSequence {
  private ScribeSequence() {}

  /** The order of a scribe id minted by a store; 0 for null or anything else. */
  public static long of(String scribeId) {
    if (scribeId == null) {
      return 0;
    }
    try {
      return Long.parseLong(scribeId);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
