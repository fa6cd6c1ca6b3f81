package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP example end to end over loopback: a server and two command-line clients with their
 * tokens, each on files of its own; a change typed on one appears on the other, and a client that
 * was stopped catches up when it comes back; a client started before its server says so within
 * seconds and syncs once the server is up. The refused-token and unreachable-server tests make
 * the client log on purpose.
 */
class NotesClientTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  @TempDir Path data;
  private final Tokens tokens = new Tokens(Map.of("ada", Tokens.newToken(), "bob", Tokens.newToken()));

  private static String run(NotesClient client, String command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    client.run(command, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String list(NotesClient client) {
    return run(client, "list");
  }

  /** A client of the server, synced; what it prints by itself goes to {@code printed}. */
  private NotesClient client(NotesServer server, String uid, ByteArrayOutputStream printed)
      throws Exception {
    NotesClient client = new NotesClient("127.0.0.1", server.tcpPort(), uid,
        tokens.tokenOf(uid).orElseThrow(), data.resolve(uid),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    client.firstSync().get(30, TimeUnit.SECONDS);
    return client;
  }

  @Test
  void aNoteAddedOfflineUnderAnIdTakenByANoteItMayNotSeeIsKeptUnderANewId() throws Exception {
    try (NotesServer server = new NotesServer(0, 0, 0, data.resolve("server"), tokens)) {
      NotesClient ada = client(server, "ada", new ByteArrayOutputStream());
      run(ada, "add n1 Ada's private plan");
      run(ada, "share n1 ada");
      await().atMost(PATIENCE).until(() -> server.node().repository(Note.class, String.class)
          .find("n1").map(note -> note.sharedWith().contains("ada")).orElse(false));
      ByteArrayOutputStream bobPrinted = new ByteArrayOutputStream();
      NotesClient bob = new NotesClient("127.0.0.1", 1, "bob", tokens.tokenOf("bob").orElseThrow(),
          data.resolve("bob"), new PrintStream(bobPrinted, true, StandardCharsets.UTF_8));
      run(bob, "add n1 Bob's shopping list"); // offline: no server on port 1
      bob.close();

      bob = client(server, "bob", bobPrinted);

      NotesClient bobAgain = bob;
      await().atMost(PATIENCE).until(() -> bobPrinted.toString(StandardCharsets.UTF_8)
          .contains("n1 is taken on the server by a note you may not see; yours is now n1-"));
      java.util.regex.Matcher newId = java.util.regex.Pattern
          .compile("\"Bob's shopping list\" \\[] \\((n1-[0-9a-f]+),").matcher(list(bobAgain));
      assertThat(newId.find()).as(list(bobAgain)).isTrue();
      String renamed = newId.group(1);
      await().atMost(PATIENCE).until(() -> server.node().repository(Note.class, String.class)
          .find(renamed).isPresent());
      assertThat(server.node().repository(Note.class, String.class).find("n1")).get()
          .extracting(Note::title).isEqualTo("Ada's private plan");
      assertThat(list(bobAgain)).doesNotContain("Ada's private plan");
      bobAgain.close();
      ada.close();
    }
  }

  @Test
  void twoClientsShareNotesAndAStoppedOneCatchesUp() throws Exception {
    try (NotesServer server = new NotesServer(0, 0, 0, data.resolve("server"), tokens)) {
      ByteArrayOutputStream bobPrinted = new ByteArrayOutputStream();
      NotesClient ada = client(server, "ada", new ByteArrayOutputStream());
      NotesClient bob = client(server, "bob", bobPrinted);

      assertThat(run(ada, "add n1 Plan the trip")).isEqualTo("added n1" + System.lineSeparator());
      await().atMost(PATIENCE).until(() -> list(bob).contains("\"Plan the trip\""));
      // Bob is shown the change as it arrives, without asking.
      await().atMost(PATIENCE).until(() -> bobPrinted.toString(StandardCharsets.UTF_8)
          .contains("< n1 added: \"Plan the trip\" [] (n1, owner ada)"));

      bob.close();
      run(ada, "rename n1 Plan the trip to Lisbon");
      run(ada, "tag n1 travel");
      run(ada, "add n2 Book flights");
      assertThat(run(ada, "frobnicate")).startsWith("commands:");
      assertThat(run(ada, "rename n9 nothing")).contains("no note n9");
      // Bob comes back once the server has what ada did while he was away.
      await().atMost(PATIENCE).until(() -> server.node()
          .repository(Note.class, String.class).findAll().stream()
          .anyMatch(note -> note.tags().contains("travel")) && list(ada).contains("Book flights")
          && server.node().repository(Note.class, String.class).find("n2").isPresent());

      try (NotesClient bobAgain = client(server, "bob", new ByteArrayOutputStream())) {
        // The first sync has ended: what bob missed is there already.
        assertThat(list(bobAgain))
            .contains("\"Plan the trip to Lisbon\" [travel] (n1, owner ada)")
            .contains("\"Book flights\" [] (n2, owner ada)");
        run(bobAgain, "delete n2");
        await().atMost(PATIENCE).until(() -> !list(ada).contains("Book flights"));

        // Shared with ada alone, bob loses n1; shared with bob again, he gets it back whole.
        assertThat(run(ada, "share n1 ada")).startsWith("shared n1 with ada");
        await().atMost(PATIENCE).until(() -> !list(bobAgain).contains("(n1,"));
        assertThat(run(ada, "share n1 bob")).startsWith("shared n1 with bob");
        await().atMost(PATIENCE).until(() -> list(bobAgain)
            .contains("\"Plan the trip to Lisbon\" [travel] (n1, owner ada, shared with [bob])"));
        assertThat(run(ada, "share n1")).startsWith("shared n1 with everyone");
      }
      ada.close();
    }
  }

  @Test
  void aClientSaysWithinSecondsThatTheServerIsUnreachableWorksOfflineAndSyncsWhenItComesUp()
      throws Exception {
    int port = freePort();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (NotesClient ada = new NotesClient("127.0.0.1", port, "ada",
        tokens.tokenOf("ada").orElseThrow(), data.resolve("ada"),
        new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> printed.toString(StandardCharsets.UTF_8)
          .contains("cannot reach the server at 127.0.0.1:" + port));
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("trying again in");

      assertThat(run(ada, "add n1 Written while the server was down")).startsWith("added n1");

      try (NotesServer server = new NotesServer(port, 0, 0, data.resolve("server"), tokens)) {
        ada.firstSync().get(60, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> server.node().repository(Note.class, String.class)
            .find("n1").isPresent());
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("in sync with the server");
      }
    }
  }

  @Test
  void aRefusedTokenIsSaidPlainly() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (NotesServer server = new NotesServer(0, 0, 0, data.resolve("server"), tokens);
        NotesClient mallory = new NotesClient("127.0.0.1", server.tcpPort(), "ada", "a guess",
            data.resolve("mallory"), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      await().atMost(PATIENCE).until(() -> printed.toString(StandardCharsets.UTF_8)
          .contains("the server refused the token of ada: check --token"));
      assertThat(server.node().clients()).noneMatch(client -> client.uid().equals("ada"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
