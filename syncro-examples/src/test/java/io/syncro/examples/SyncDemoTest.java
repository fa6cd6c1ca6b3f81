package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, run as the README runs it: over loopback TCP, ending equal. */
class SyncDemoTest {

  @TempDir Path data;

  @Test
  void theOfflinePhoneCatchesUpAndAllNodesEndEqual() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean equal;
    try (SyncDemo demo = new SyncDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8), data)) {
      equal = demo.run();
    }
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(equal).as(output).isTrue();
    assertThat(output)
        .contains("  phone: \"Call Bob\" [] (n2, owner alice)")
        .contains("  phone: \"Buy stamps\" [] (n4, owner alice)")
        .contains("  laptop: \"Buy stamps\" [] (n4, owner alice)")
        .contains("  phone: \"Groceries for Sunday\" [home, weekend] (n1, owner alice)")
        .contains("  phone: \"Team meeting\" [] (n3, owner bob)")
        .contains("== The phone restarts: a new node on the same files ==\n"
            .replace("\n", System.lineSeparator())
            + "It still holds what it had, n4 included, and its cursor: the id of the last"
            + " scribe it applied from the server, so that it asks only for what came after:"
            + System.lineSeparator()
            + "  phone: \"Groceries\" [home] (n1, owner alice)")
        .contains("  phone: cursor for server = scribe ")
        .contains("Down to the phone came the rename, the delete and n3:" + System.lineSeparator()
            + "  phone: \"Groceries for Sunday\" [home, weekend] (n1, owner alice)")
        .endsWith("All three nodes are equal." + System.lineSeparator());
  }
}
