package io.syncro.runtime.internal;

/**
 * Tells, without parsing, whether bytes are one whole JSON object, the start of one cut short,
 * or neither: what the decoder needs to recover an original peer's frame longer than 64 KiB,
 * whose 2-byte length the original writes modulo 65,536 (see {@link FrameDecoder}). Structural
 * only: brackets and strings are followed, values are not checked (the parser does that).
 */
final class JsonObjectScan {
  /** What the bytes are. */
  enum Shape {
    /** One object, closed at the last byte but for trailing whitespace. */
    WHOLE,
    /** The start of an object, well formed so far, not closed yet. */
    CUT_SHORT,
    /** Not an object: another first byte, a stray closing bracket, a control byte, or more after the end. */
    NEITHER
  }

  private JsonObjectScan() {}

  static Shape of(byte[] bytes, int length) {
    int i = 0;
    while (i < length && isWhitespace(bytes[i])) {
      i++;
    }
    if (i == length || bytes[i] != '{') {
      return Shape.NEITHER;
    }
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (; i < length; i++) {
      int b = bytes[i] & 0xFF;
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        } else if (b < 0x20) {
          return Shape.NEITHER; // JSON strings hold no raw control bytes; frame headers do
        }
        continue;
      }
      switch (b) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          if (--depth < 0) {
            return Shape.NEITHER;
          }
          if (depth == 0) {
            return onlyWhitespaceAfter(bytes, i + 1, length) ? Shape.WHOLE : Shape.NEITHER;
          }
        }
        default -> {
          if (b < 0x20 && !isWhitespace((byte) b)) {
            return Shape.NEITHER;
          }
        }
      }
    }
    return Shape.CUT_SHORT;
  }

  private static boolean onlyWhitespaceAfter(byte[] bytes, int from, int length) {
    for (int i = from; i < length; i++) {
      if (!isWhitespace(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
