package io.syncro.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncro.runtime.Syncro;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link SyncroServer} serving an original (Ruby) peer over a real socket: the peer cannot
 * authenticate, so the server binds its port to the peer's uid; the peer syncs on connect
 * without pages, is synced by the server, and answers with its 700 offline scribes in one frame
 * whose length it writes modulo 65,536, as the original does.
 */
class OriginalPeerOverTcpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes one message as the original frames it: the length's low 16 bits, then every byte. */
  private static void send(OutputStream out, String json) throws IOException {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    out.write(payload.length >>> 8 & 0xFF);
    out.write(payload.length & 0xFF);
    out.write(payload);
    out.flush();
  }

  /** Reads frames until one of the given type arrives (the node's frames are never wrapped). */
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
  void aServerBoundToTheOriginalByItsPortTakesItsSevenHundredOfflineScribes() throws Exception {
    try (Syncro server = Syncro.builder().nodeUid("server").model(Item.class).build();
         SyncroServer listening = SyncroServer.builder(server).clientUid(channel -> "ruby").start();
         Socket socket = new Socket(InetAddress.getLoopbackAddress(), listening.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      List<JsonNode> seen = new ArrayList<>();

      send(out, "{\"type\":\"sync\",\"from\":null,\"id\":1}");
      JsonNode serversSync = readUntil(in, "sync", seen);
      StringBuilder answer = new StringBuilder("{\"type\":\"response\",\"id\":")
          .append(serversSync.path("id").asLong()).append(",\"result\":[");
      for (int i = 1; i <= 700; i++) {
        answer.append(i == 1 ? "" : ",").append("{\"klass\":\"Item\",\"type\":\"create\",\"data\":")
            .append("{\"id\":").append(i).append(",\"text\":\"offline on the Ruby client, ")
            .append(i).append("\"},\"id\":\"").append(i).append("\"}");
      }
      String json = answer.append("]}").toString();
      assertThat(json.length()).isGreaterThan(65_535);
      send(out, json);

      await().atMost(Duration.ofSeconds(30))
          .until(() -> server.repository(Item.class, String.class).findAll().size() == 700);
      assertThat(server.repository(Item.class, String.class).find("700").orElseThrow().text)
          .isEqualTo("offline on the Ruby client, 700");
      send(out, "{\"type\":\"noop\",\"id\":2}");
      readUntil(in, "response", seen);
      assertThat(seen).noneMatch(message -> message.path("type").asText().equals("error"));
    }
  }
}
