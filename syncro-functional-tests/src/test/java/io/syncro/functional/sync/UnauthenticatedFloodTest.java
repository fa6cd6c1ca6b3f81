package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of connections that never authenticate, each sending a few bytes that announce a
 * long frame, against a server with a 256 MB heap ({@link SmallHeapServer}): the server keeps
 * its memory and goes on serving a client that does authenticate.
 */
class UnauthenticatedFloodTest extends NodeTestSupport {
  private final List<Socket> sockets = new ArrayList<>();
  private Process server;

  @AfterEach
  void stop() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private int startServer() throws IOException {
    server = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), SmallHeapServer.class.getName())
        // It logs every connection it closes: thousands of lines, expected, and not read here.
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the server's first line").startsWith("port ");
    return Integer.parseInt(line.substring("port ".length()));
  }

  /** Opens a connection that sends these bytes and then nothing, and keeps it open. */
  private void openIdle(int port, byte... bytes) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    sockets.add(socket);
    socket.getOutputStream().write(bytes);
  }

  @Test
  void connectionsThatNeverAuthenticateCannotExhaustASmallHeap() throws Exception {
    int port = startServer();
    // Three bytes announcing the longest frame there is, as in the attack found...
    for (int i = 0; i < 10_000; i++) {
      openIdle(port, (byte) 0xFF, (byte) 0xFF, (byte) '{');
    }
    // ...and frames short enough to be waited for before authentication, left unfinished.
    for (int i = 0; i < 4_000; i++) {
      openIdle(port, (byte) 0x0F, (byte) 0xA0, (byte) '{', (byte) '"');
    }

    Syncro alice = closeLater(Syncro.builder().model(Memo.class).trust("server").build());
    Session session = connect(alice, port);
    assertThat(session.authenticate("alice-token").get(30, TimeUnit.SECONDS)).isEqualTo("alice");
    session.sync().get(30, TimeUnit.SECONDS);
    memos(alice).save(new Memo("m1", "still served"));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(session.rpc("Server", "memos").get(10, TimeUnit.SECONDS).asInt()).isEqualTo(1));
    long heapMiB = session.rpc("Server", "heapMiB").get(30, TimeUnit.SECONDS).asLong();
    assertThat(heapMiB).as("heap in use on the server, MiB").isLessThan(128);
    assertThat(server.isAlive()).isTrue();
  }

  /** A client session over a socket, read by a thread of its own. */
  private Session connect(Syncro node, int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    sockets.add(socket);
    Session session = node.connect("server", new TcpLink.SocketConnection(socket, frame -> { }));
    TcpLink.startReader(socket, session);
    return session;
  }
}
