package io.syncro.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the one-line preamble in which a TCP client of the examples says its uid. */
final class Lines {
  private static final int MAX_LINE = 256;

  private Lines() {}

  static String readLine(InputStream in) throws IOException {
    byte[] line = new byte[MAX_LINE];
    int length = 0;
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (length == MAX_LINE) {
        throw new IOException("the uid line is longer than " + MAX_LINE + " bytes");
      }
      line[length++] = (byte) b;
    }
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }
}
