package io.syncro.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree as compact text, character for character as {@link Json}'s mapper writes it
 * (the original peer's escapes: {@link OriginalEscapes}), without Jackson's serializers: a
 * catch-up writes the JSON of every scribe it applies and of every record it stores, and the
 * serializers cost more than the writing. Trees holding anything but JSON values, raw text, or
 * numbers that are not finite are left to the mapper ({@link #write} returns false).
 *
 * <p>What it writes is ASCII: every character past it is escaped, as the original peer does.
 * Raw text is written as it is.
 */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** For each ASCII character: 0 written as it is, else its short escape, or 'u' for hex. */
  private static final char[] ESCAPES = new char[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['<'] = 'u';
    ESCAPES['>'] = 'u';
    ESCAPES['&'] = 'u';
  }

  private JsonText() {}

  /**
   * Appends the tree's text to {@code out}.
   *
   * @return false, with {@code out} in an unknown state, when the tree holds a value this writer
   *     leaves to the mapper
   */
  static boolean write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT: {
        out.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(field.getKey(), out);
          out.append(':');
          if (!write(field.getValue(), out)) {
            return false;
          }
        }
        out.append('}');
        return true;
      }
      case ARRAY: {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!write(node.get(i), out)) {
            return false;
          }
        }
        out.append(']');
        return true;
      }
      case STRING:
        writeString(node.textValue(), out);
        return true;
      case NUMBER:
        return writeNumber(node, out);
      case BOOLEAN:
        out.append(node.booleanValue());
        return true;
      case NULL:
        out.append("null");
        return true;
      case POJO: {
        Object value = ((POJONode) node).getPojo();
        if (value instanceof RawValue && ((RawValue) value).rawValue() instanceof String) {
          out.append((String) ((RawValue) value).rawValue());
          return true;
        }
        return false;
      }
      default: // binary and missing nodes
        return false;
    }
  }

  private static boolean writeNumber(JsonNode number, StringBuilder out) {
    switch (number.numberType()) {
      case INT:
        out.append(number.intValue());
        return true;
      case LONG:
        out.append(number.longValue());
        return true;
      case BIG_INTEGER:
        out.append(number.bigIntegerValue().toString());
        return true;
      case BIG_DECIMAL:
        out.append(number.decimalValue().toString());
        return true;
      case FLOAT: {
        float value = number.floatValue();
        if (!Float.isFinite(value)) {
          return false; // written quoted, as the mapper decides
        }
        out.append(Float.toString(value));
        return true;
      }
      case DOUBLE: {
        double value = number.doubleValue();
        if (!Double.isFinite(value)) {
          return false;
        }
        out.append(Double.toString(value));
        return true;
      }
      default:
        return false;
    }
  }

  /** A quoted string, escaped; runs that need no escape are copied whole. */
  static void writeString(String text, StringBuilder out) {
    out.append('"');
    int plainFrom = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char escape = c < 128 ? ESCAPES[c] : 'u';
      if (escape == 0) {
        continue;
      }
      out.append(text, plainFrom, i);
      plainFrom = i + 1;
      out.append('\\');
      if (escape == 'u') {
        // Astral characters arrive as their two surrogates, each escaped, as the original does.
        out.append('u').append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        out.append(escape);
      }
    }
    out.append(text, plainFrom, text.length());
    out.append('"');
  }
}
