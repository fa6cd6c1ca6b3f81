package io.syncro.runtime.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Escapes strings as the original Ruby peer does, so that the same scribe is the same bytes from
 * either peer: every non-ASCII character (U+2028 and U+2029 among them) and {@code <},
 * {@code >}, {@code &} as {@code \}{@code u} and four lowercase hex digits, astral characters as
 * surrogate pairs; the usual short escapes for quotes, backslashes and control characters.
 */
final class OriginalEscapes extends CharacterEscapes {
  private static final long serialVersionUID = 1L;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final int[] asciiEscapes;
  /** The escapes of ASCII characters that Jackson would otherwise write with uppercase hex. */
  private final SerializableString[] asciiCustom = new SerializableString[128];

  OriginalEscapes() {
    asciiEscapes = standardAsciiEscapesForJSON();
    for (int c = 0; c < 0x20; c++) {
      if (asciiEscapes[c] == ESCAPE_STANDARD) {
        escapeCustom(c); // \\u001f rather than Jackson's \\u001F
      }
    }
    escapeCustom('<');
    escapeCustom('>');
    escapeCustom('&');
  }

  private void escapeCustom(int c) {
    asciiEscapes[c] = ESCAPE_CUSTOM;
    asciiCustom[c] = new SerializedString(unicodeEscape(c));
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return asciiEscapes;
  }

  @Override
  public SerializableString getEscapeSequence(int c) {
    // Jackson hands over UTF-16 code units one at a time, so astral characters arrive as their
    // two surrogates and come out as the pair of escapes the original writes.
    return c < 128 ? asciiCustom[c] : new SerializedString(unicodeEscape(c));
  }

  private static String unicodeEscape(int c) {
    return new String(new char[] {
      '\\', 'u', HEX[(c >> 12) & 0xF], HEX[(c >> 8) & 0xF], HEX[(c >> 4) & 0xF], HEX[c & 0xF]
    });
  }
}
