package io.syncro.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.SyncroConfigurationException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket server with a Java node as its client over a real loopback WebSocket (message
 * mode): by token, and by what the handshake says. The refused-token test makes the server log
 * a warning on purpose.
 */
class SyncroWebSocketServerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static SyncedRepository<Item, String> items(Syncro node) {
    return node.repository(Item.class, String.class);
  }

  private static String textOf(Syncro node, String id) {
    return items(node).find(id).map(item -> item.text).orElse(null);
  }

  /** A Java node speaking Syncro over a WebSocket, as a browser's syncro.js does. */
  private static final class JavaWebSocketPeer extends WebSocketClient {
    private final Syncro node;
    volatile Session session;

    JavaWebSocketPeer(URI uri, Syncro node) {
      super(uri);
      this.node = node;
    }

    Session open() throws InterruptedException {
      assertThat(connectBlocking(10, TimeUnit.SECONDS)).as("connected").isTrue();
      return session;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      session = node.connectMessages("server", this::send);
    }

    @Override
    public void onMessage(String message) {
      session.receiveMessage(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      if (session != null) {
        session.disconnect();
      }
    }

    @Override
    public void onError(Exception e) {
      // the connection closes after it: onClose tells the session
    }
  }

  private JavaWebSocketPeer peer(SyncroWebSocketServer server, String query, Syncro node) {
    JavaWebSocketPeer peer = new JavaWebSocketPeer(
        URI.create("ws://127.0.0.1:" + server.port() + "/" + query), node);
    closeLater(peer::closeBlocking);
    return peer;
  }

  @Test
  void aClientWithATokenSyncsBothWaysAndGetsPushes() throws Exception {
    Syncro server = closeLater(Syncro.builder().nodeUid("server").model(Item.class)
        .authenticator(token -> Optional.ofNullable(Map.of("alice-token", "alice").get(token)))
        .build());
    Syncro client = closeLater(Syncro.builder().model(Item.class).trust("server").build());
    items(server).save(new Item("s1", "on the server"));
    items(client).save(new Item("c1", "on the client"));
    List<String> heard = new CopyOnWriteArrayList<>();
    SyncroWebSocketServer listening = closeLater(SyncroWebSocketServer.builder(server)
        .listener(new SyncroWebSocketServer.Listener() {
          @Override
          public void connected(String clientUid, InetSocketAddress from) {
            heard.add(clientUid + " connected");
          }

          @Override
          public void synced(String clientUid) {
            heard.add(clientUid + " synced");
          }

          @Override
          public void disconnected(String clientUid) {
            heard.add(clientUid + " disconnected");
          }
        }).start());

    JavaWebSocketPeer peer = peer(listening, "", client);
    Session session = peer.open();
    assertThat(session.authenticate("alice-token").get(10, TimeUnit.SECONDS)).isEqualTo("alice");

    await().atMost(PATIENCE).until(() -> textOf(client, "s1") != null && textOf(server, "c1") != null);
    items(server).save(new Item("s2", "pushed"));
    await().atMost(PATIENCE).until(() -> textOf(client, "s2") != null);
    peer.closeBlocking();
    await().atMost(PATIENCE).until(() -> heard.contains("alice disconnected"));
    assertThat(heard).containsExactly("alice connected", "alice synced", "alice disconnected");
  }

  @Test
  void aRefusedTokenIsAnswered401AndNothingSyncs() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Item.class)
        .authenticator(token -> Optional.empty()).build());
    items(server).save(new Item("secret", "not for guessers"));
    Syncro client = closeLater(Syncro.builder().model(Item.class).build());
    SyncroWebSocketServer listening = closeLater(SyncroWebSocketServer.builder(server).start());

    Session session = peer(listening, "", client).open();

    assertThatThrownBy(() -> session.authenticate("a guess").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RemoteErrorException.class)
        .matches(e -> ((RemoteErrorException) e).errorCode() == ErrorCode.UNAUTHENTICATED);
    assertThat(items(client).find("secret")).isEmpty();
  }

  @Test
  void behindAProxyFailedSignInsCountPerAddressTheProxyReports() throws Exception {
    Syncro server = closeLater(Syncro.builder().model(Item.class)
        .authenticator(token -> Optional.empty())
        .authBackoff(1, Duration.ofMinutes(1), Duration.ofMinutes(1)).build());
    SyncroWebSocketServer listening = closeLater(SyncroWebSocketServer.builder(server)
        .peerKey(handshake -> handshake.getFieldValue("X-Real-IP")).start());

    ErrorCode free = signInFrom(listening, "198.51.100.1");
    ErrorCode blocking = signInFrom(listening, "198.51.100.1");
    ErrorCode heldBack = signInFrom(listening, "198.51.100.1");
    ErrorCode another = signInFrom(listening, "198.51.100.2");

    assertThat(free).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(blocking).as("one failure free; the next blocks for a minute")
        .isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(heldBack).isEqualTo(ErrorCode.TOO_MANY_ATTEMPTS);
    assertThat(another).as("another client behind the same proxy is not held back")
        .isEqualTo(ErrorCode.UNAUTHENTICATED);
  }

  /** Signs in with a bad token through a proxy that reports {@code address}; the error code. */
  private ErrorCode signInFrom(SyncroWebSocketServer listening, String address) throws Exception {
    Syncro client = closeLater(Syncro.builder().model(Item.class).build());
    JavaWebSocketPeer peer = peer(listening, "", client);
    peer.addHeader("X-Real-IP", address);
    Session session = peer.open();
    try {
      session.authenticate("a guess").get(10, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException refused) {
      return ((RemoteErrorException) refused.getCause()).errorCode();
    }
  }

  @Test
  void aClientNamedByItsHandshakeNeedsNoToken() throws Exception {
    Syncro server = closeLater(Syncro.builder().nodeUid("server").model(Item.class).build());
    Syncro client = closeLater(Syncro.builder().model(Item.class).trust("server").build());
    items(client).save(new Item("b1", "bob's"));
    SyncroWebSocketServer listening = closeLater(SyncroWebSocketServer.builder(server)
        .clientUid(handshake -> handshake.getResourceDescriptor().equals("/?uid=bob") ? "bob" : null)
        .start());

    peer(listening, "?uid=bob", client).open();

    await().atMost(PATIENCE).until(() -> textOf(server, "b1") != null);
    assertThat(server.clients()).anyMatch(state -> state.uid().equals("bob"));
  }

  @Test
  void aServerThatCannotTellWhoAClientIsRefusesToStart() {
    Syncro withoutAuthenticator = closeLater(Syncro.builder().model(Item.class).build());

    assertThatThrownBy(() -> SyncroWebSocketServer.builder(withoutAuthenticator).start())
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining(".authenticator(")
        .hasMessageContaining(".clientUid(");
  }
}
