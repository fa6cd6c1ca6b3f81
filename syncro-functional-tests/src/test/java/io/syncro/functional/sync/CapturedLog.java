package io.syncro.functional.sync;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the library logs while it is open, for tests that assert on a warning. The tests' logger
 * (slf4j-simple) writes to whatever {@code System.err} is at each line, so this swaps it for a
 * stream that keeps a copy and still prints (the log stays in the test's output), or, for a test
 * that makes the library log on purpose thousands of times, keeps it only ({@link #quiet}): such
 * a test asserts on what was logged instead of printing it.
 */
final class CapturedLog implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  /** Keeps a copy of the log and still prints it. */
  CapturedLog() {
    this(true);
  }

  /** Keeps the log without printing it; the test says so and asserts on {@link #text}. */
  static CapturedLog quiet() {
    return new CapturedLog(false);
  }

  private CapturedLog(boolean echo) {
    OutputStream both = new OutputStream() {
      @Override
      public void write(int b) {
        copy.write(b);
        if (echo) {
          original.write(b);
        }
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        copy.write(bytes, offset, length);
        if (echo) {
          original.write(bytes, offset, length);
        }
      }
    };
    System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
  }

  /** Everything logged so far. */
  String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  /** How many lines logged so far contain {@code text}. */
  long linesContaining(String text) {
    return text().lines().filter(line -> line.contains(text)).count();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
