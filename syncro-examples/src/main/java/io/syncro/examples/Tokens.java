package io.syncro.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The example server's clients and their tokens, one {@code UID TOKEN} pair a line in a text
 * file ({@code #} starts a comment). Make a token with {@code openssl rand -hex 16}, or let the
 * server write a file for the first users ({@link #createFor}).
 */
final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Tokens by uid, in the file's order. */
  private final Map<String, String> tokensByUid;

  Tokens(Map<String, String> tokensByUid) {
    this.tokensByUid = Collections.unmodifiableMap(new LinkedHashMap<>(tokensByUid));
  }

  /** Reads a tokens file. */
  static Tokens read(Path file) throws IOException {
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String content = line.replaceFirst("#.*", "").trim();
      if (content.isEmpty()) {
        continue;
      }
      String[] words = content.split("\\s+");
      if (words.length != 2) {
        throw new IOException(file + ": expected 'UID TOKEN', got: " + line);
      }
      tokens.put(words[0], words[1]);
    }
    return new Tokens(tokens);
  }

  /** Writes a tokens file with a fresh random token for each of {@code uids}. */
  static Tokens createFor(Path file, List<String> uids) throws IOException {
    Map<String, String> tokens = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder("# UID TOKEN, one client a line; written by the notes server\n");
    for (String uid : uids) {
      String token = newToken();
      tokens.put(uid, token);
      text.append(uid).append(' ').append(token).append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return new Tokens(tokens);
  }

  /** 128 random bits in hex: not to be guessed. */
  static String newToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The token of a client, if it has one. */
  Optional<String> tokenOf(String uid) {
    return Optional.ofNullable(tokensByUid.get(uid));
  }

  /** The client a token belongs to. Compares in constant time, so as not to leak by timing. */
  Optional<String> uidOf(String token) {
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    String found = null;
    for (Map.Entry<String, String> entry : tokensByUid.entrySet()) {
      if (MessageDigest.isEqual(presented, entry.getValue().getBytes(StandardCharsets.UTF_8))) {
        found = entry.getKey();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The uids that have a token. */
  List<String> uids() {
    return List.copyOf(tokensByUid.keySet());
  }
}
