package io.syncro.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The examples' command lines: {@code --name value} pairs, nothing more. */
final class Options {
  private Options() {}

  /**
   * The options given, by name.
   *
   * @throws IllegalArgumentException for an option not in {@code known}, or one without a value
   */
  static Map<String, String> parse(String[] args, String... known) {
    Set<String> names = Set.of(known);
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || !names.contains(arg.substring(2)) || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: " + String.join(" ",
            java.util.Arrays.stream(known).map(name -> "[--" + name + " VALUE]").toList())
            + "; got " + arg);
      }
      options.put(arg.substring(2), args[++i]);
    }
    return options;
  }
}
