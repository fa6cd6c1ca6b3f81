package io.syncro.runtime.internal;

import java.io.Writer;

/**
 * A {@link Writer} into a {@link StringBuilder}: what {@link java.io.StringWriter} does, without
 * the lock it takes on every write. JSON generators write to it many times per message.
 */
final class TextBuffer extends Writer {
  private final StringBuilder text;

  TextBuffer(int capacity) {
    this.text = new StringBuilder(capacity);
  }

  @Override
  public void write(char[] chars, int offset, int length) {
    text.append(chars, offset, length);
  }

  @Override
  public void write(String string, int offset, int length) {
    text.append(string, offset, offset + length);
  }

  @Override
  public void write(int c) {
    text.append((char) c);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return text.toString();
  }
}
