package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notes server with a port for an original (Ruby) peer, played over a real socket as the
 * original writes: no token, a sync without {@code page}, integer ids. Its offline note reaches
 * a command-line client, the client's note reaches it, and it is never sent an {@code error}.
 */
class NotesServerOriginalPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path data;

  private static void send(OutputStream out, String json) throws IOException {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    out.write(new byte[] {(byte) (payload.length >> 8), (byte) payload.length});
    out.write(payload);
    out.flush();
  }

  /** Reads messages until one of {@code type}; keeps every one read in {@code seen}. */
  private static JsonNode readUntil(DataInputStream in, String type, List<JsonNode> seen)
      throws IOException {
    while (true) {
      byte[] payload = new byte[in.readUnsignedShort()];
      in.readFully(payload);
      JsonNode message = JSON.readTree(payload);
      seen.add(message);
      if (message.path("type").asText().equals(type)) {
        return message;
      }
    }
  }

  @Test
  void anOriginalPeerOnItsOwnPortSyncsBothWaysWithoutAToken() throws Exception {
    Tokens tokens = new Tokens(Map.of("ada", Tokens.newToken()));
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    try (NotesServer server = new NotesServer(0, 0, 0, data.resolve("server"), tokens,
            new PrintStream(events, true, StandardCharsets.UTF_8))) {
      int originalPort = server.serveOriginalPeer(0, "ruby");
      try (NotesClient ada = new NotesClient("127.0.0.1", server.tcpPort(), "ada",
          tokens.tokenOf("ada").orElseThrow(), data.resolve("ada"),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
           Socket socket = new Socket(InetAddress.getLoopbackAddress(), originalPort)) {
        ada.firstSync().get(30, TimeUnit.SECONDS);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        List<JsonNode> seen = new ArrayList<>();

        // The original syncs on connect; the server syncs it too, and it answers with its
        // offline note, whose id its database made an integer.
        send(out, "{\"type\":\"sync\",\"from\":null,\"id\":1}");
        JsonNode serversSync = readUntil(in, "sync", seen);
        send(out, "{\"type\":\"response\",\"id\":" + serversSync.path("id").asLong()
            + ",\"result\":[{\"klass\":\"Note\",\"type\":\"create\",\"data\":{\"id\":120,"
            + "\"title\":\"Written in Ruby\",\"owner\":\"ruby\"},\"id\":\"1\"}]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> list(ada).contains("Written in Ruby"));

        // A note typed on the command line is pushed to the original at once.
        ada.run("add n1 Typed in Java", new PrintStream(new ByteArrayOutputStream()));
        JsonNode push = readUntil(in, "add_scribe", seen);
        assertThat(push.path("scribe").path("data").path("title").asText()).isEqualTo("Typed in Java");
        send(out, "{\"type\":\"response\",\"id\":" + push.path("id").asLong() + ",\"result\":true}");

        assertThat(seen).noneMatch(message -> message.path("type").asText().equals("error"));
      }
      assertThat(events.toString(StandardCharsets.UTF_8)).contains("ruby connected from");
    }
  }

  private static String list(NotesClient client) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    client.run("list", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
