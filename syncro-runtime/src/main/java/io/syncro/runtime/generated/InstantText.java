package io.syncro.runtime.generated;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/** Reading instants in their ISO form, quickly for the form Java writes. */
final class InstantText {
  private InstantText() {}

  /**
   * {@link Instant#parse} with a fast path for the form every Java node writes
   * ({@code 2026-11-29T04:06:05Z}, with 0 to 9 digits of fraction): a catch-up reads one per
   * time field of every scribe, and the general parser costs more than the rest of the field's
   * reading. Anything else (an offset, a leap second, a year past 9999, a mistake) goes to
   * {@code Instant.parse}, so what is accepted and the errors are the same.
   */
  static Instant parse(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21; // between the '.' and the 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return Instant.parse(text);
      }
      nanos = digits(text, 20, 20 + fraction);
      for (int i = fraction; i < 9 && nanos >= 0; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 1 || month > 12
        || day < 1 || (day > 28 && day > lengthOfMonth(year, month))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || nanos < 0) {
      return Instant.parse(text);
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  /** The decimal number in {@code text[from, to)}; -1 when a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int lengthOfMonth(int year, int month) {
    return YearMonth.of(year, month).lengthOfMonth();
  }
}
