package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * When a change was made, on a hybrid logical clock: the wall-clock milliseconds of the node that
 * made it, a counter for changes within one millisecond (or made while that node's clock was
 * behind one it had seen), and the node's uid, which breaks ties. Stamps are totally ordered, and
 * of two writes of one field the one with the greater stamp wins everywhere.
 *
 * <p>On the wire a stamp is the text {@code millis.counter.node}, e.g.
 * {@code "1764339600000.3.alice"}.
 *
 * @param millis milliseconds since the epoch, as the stamping node's clock (or a later stamp it
 *     had seen) said
 * @param counter orders stamps of one millisecond
 * @param node the uid of the node that stamped; never null, may be empty
 */
public record Stamp(long millis, int counter, String node) implements Comparable<Stamp> {
  private static final Comparator<Stamp> ORDER = Comparator.comparingLong(Stamp::millis)
      .thenComparingInt(Stamp::counter)
      .thenComparing(Stamp::node);

  public Stamp {
    requireNonNull(node, "node");
    if (millis < 0 || counter < 0) {
      throw new IllegalArgumentException("a stamp's millis and counter are not negative: "
          + millis + ", " + counter);
    }
  }

  /**
   * Reads a stamp's wire form.
   *
   * @throws InvalidScribeException when the text is not one
   */
  public static Stamp parse(String text) {
    requireNonNull(text, "text");
    int first = text.indexOf('.');
    int second = first < 0 ? -1 : text.indexOf('.', first + 1);
    if (second < 0) {
      throw new InvalidScribeException("not a stamp (millis.counter.node): " + text);
    }
    try {
      return new Stamp(Long.parseLong(text.substring(0, first)),
          Integer.parseInt(text.substring(first + 1, second)), text.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidScribeException("not a stamp (millis.counter.node): " + text, e);
    }
  }

  /** Whether this stamp is later than {@code other}; everything is later than null. */
  public boolean isAfter(Stamp other) {
    return other == null || compareTo(other) > 0;
  }

  @Override
  public int compareTo(Stamp other) {
    return ORDER.compare(this, other);
  }

  /** The wire form, {@code millis.counter.node}. */
  @Override
  public String toString() {
    return millis + "." + counter + "." + node;
  }
}
