package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP example end to end over loopback: a server and two command-line clients, each on files
 * of its own; a change typed on one appears on the other, and a client that was stopped catches
 * up when it comes back.
 */
class NotesClientTest {
  @TempDir Path data;

  private static String run(NotesClient client, String command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    client.run(command, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String list(NotesClient client) {
    return run(client, "list");
  }

  @Test
  void twoClientsShareNotesAndAStoppedOneCatchesUp() throws Exception {
    try (NotesServer server = new NotesServer(0, 0, 0, data.resolve("server"))) {
      NotesClient ada = new NotesClient(server.tcpPort(), "ada", data.resolve("ada"));
      NotesClient bob = new NotesClient(server.tcpPort(), "bob", data.resolve("bob"));

      assertThat(run(ada, "add n1 Plan the trip")).isEqualTo("added n1" + System.lineSeparator());
      await().atMost(Duration.ofSeconds(10)).until(() -> list(bob).contains("\"Plan the trip\""));

      bob.close();
      run(ada, "rename n1 Plan the trip to Lisbon");
      run(ada, "tag n1 travel");
      run(ada, "add n2 Book flights");
      assertThat(run(ada, "frobnicate")).startsWith("commands:");
      assertThat(run(ada, "rename n9 nothing")).contains("no note n9");
      // Bob comes back once the server has what ada did while he was away.
      await().atMost(Duration.ofSeconds(10)).until(() -> server.node()
          .repository(Note.class, String.class).findAll().stream()
          .anyMatch(note -> note.tags().contains("travel")) && list(ada).contains("Book flights")
          && server.node().repository(Note.class, String.class).find("n2").isPresent());

      try (NotesClient bobAgain = new NotesClient(server.tcpPort(), "bob", data.resolve("bob"))) {
        // sync() has returned: what bob missed is there already.
        assertThat(list(bobAgain))
            .contains("\"Plan the trip to Lisbon\" [travel] (n1, owner ada)")
            .contains("\"Book flights\" [] (n2, owner ada)");
        run(bobAgain, "delete n2");
        await().atMost(Duration.ofSeconds(10)).until(() -> !list(ada).contains("Book flights"));

        // Shared with ada alone, bob loses n1; shared with bob again, he gets it back whole.
        assertThat(run(ada, "share n1 ada")).startsWith("shared n1 with ada");
        await().atMost(Duration.ofSeconds(10)).until(() -> !list(bobAgain).contains("(n1,"));
        assertThat(run(ada, "share n1 bob")).startsWith("shared n1 with bob");
        await().atMost(Duration.ofSeconds(10)).until(() -> list(bobAgain)
            .contains("\"Plan the trip to Lisbon\" [travel] (n1, owner ada, shared with [bob])"));
        assertThat(run(ada, "share n1")).startsWith("shared n1 with everyone");
      }
      ada.close();
    }
  }
}
