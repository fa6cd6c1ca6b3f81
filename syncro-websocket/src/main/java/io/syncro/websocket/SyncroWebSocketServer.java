package io.syncro.websocket;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.MessageConnection;
import io.syncro.runtime.PeerKeys;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.SyncroConfigurationException;
import io.syncro.runtime.SyncroException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's WebSocket clients (browsers running {@code syncro.js}, or any peer speaking Syncro in
 * message mode: one JSON message per WebSocket text message, no frames). Who a client is comes
 * from its token ({@code auth}, checked by the node's {@code Authenticator}), or from its
 * handshake when the application vouches for what it says ({@link Builder#clientUid}: a session
 * cookie checked by the application, a header set by an authenticating proxy). Once a client is
 * known, the server syncs with it and pushes it every change it may see.
 *
 * <pre>{@code
 * SyncroWebSocketServer server = SyncroWebSocketServer.builder(node).port(7001).start();
 * }</pre>
 *
 * <p>Logs each client that connects, syncs and leaves at INFO. Closing the server closes its
 * connections, not the node.
 */
public final class SyncroWebSocketServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncroWebSocketServer.class);

  /** What happens to the server's clients, for an application to show or count. */
  public interface Listener {
    /** A client is known (authenticated, or named by its handshake); its sync starts. */
    default void connected(String clientUid, InetSocketAddress from) {}

    /** This node has applied what the client had for it; live from here. */
    default void synced(String clientUid) {}

    /** A known client's connection closed. */
    default void disconnected(String clientUid) {}
  }

  private final Syncro node;
  private final Function<ClientHandshake, String> clientUid;
  private final Function<ClientHandshake, String> peerKey;
  private final Listener listener;
  private final Sockets sockets;

  private SyncroWebSocketServer(Builder builder) {
    this.node = builder.node;
    this.clientUid = builder.clientUid;
    this.peerKey = builder.peerKey;
    this.listener = builder.listener;
    if (clientUid == null && !node.acceptsTokens()) {
      throw new SyncroConfigurationException("a SyncroWebSocketServer must know who each client"
          + " is: build the node with .authenticator(...) (clients send a token), or give the"
          + " server .clientUid(handshake -> uid) when the application vouches for the handshake");
    }
    this.sockets = new Sockets(builder.address);
    sockets.setReuseAddr(true);
    sockets.start();
    sockets.awaitStarted();
    log.info("listening for Syncro WebSocket clients on port {}", port());
  }

  /** A builder for a WebSocket server of {@code node}. */
  public static Builder builder(Syncro node) {
    return new Builder(requireNonNull(node, "node"));
  }

  /** The port the server listens on; the one chosen when the builder said 0. */
  public int port() {
    return sockets.getPort();
  }

  /** Stops listening and closes every connection; the node and its store stay open. */
  @Override
  public void close() {
    try {
      sockets.stop(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The connections, one session each. */
  private final class Sockets extends WebSocketServer {
    private final Map<WebSocket, Session> sessions = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception failedToStart;

    Sockets(InetSocketAddress address) {
      super(address);
    }

    void awaitStarted() {
      try {
        if (!started.await(10, TimeUnit.SECONDS)) {
          throw new SyncroException("could not listen on " + getAddress() + " within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SyncroException("interrupted while starting to listen on " + getAddress(), e);
      }
      if (failedToStart != null) {
        throw new SyncroException("could not listen on " + getAddress() + ": "
            + failedToStart.getMessage(), failedToStart);
      }
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
      MessageConnection connection = new MessageConnection() {
        @Override
        public void send(String json) {
          socket.send(json);
        }

        @Override
        public void close() {
          socket.close();
        }
      };
      Session session;
      if (clientUid == null) {
        session = node.acceptMessages(connection, peerKeyOf(socket, handshake));
      } else {
        String uid = clientUid.apply(handshake);
        if (uid == null || uid.isEmpty()) {
          socket.close(1008, "who are you? this server names its clients by their handshake");
          return;
        }
        session = node.connectMessages(uid, connection);
      }
      sessions.put(socket, session);
      session.authenticated().thenAccept(uid -> started(session, uid, socket.getRemoteSocketAddress()));
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
      Session session = sessions.get(socket);
      if (session != null) {
        session.receiveMessage(message);
      }
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
      Session session = sessions.remove(socket);
      if (session != null) {
        session.disconnect();
        String uid = session.clientUid();
        if (uid != null) {
          log.info("WebSocket client {} disconnected", uid);
          tell(() -> listener.disconnected(uid));
        }
      }
    }

    @Override
    public void onError(WebSocket socket, Exception e) {
      if (socket == null) {
        failedToStart = e;
        started.countDown();
      } else {
        log.warn("WebSocket error with {}: {}", socket.getRemoteSocketAddress(), e.toString());
      }
    }

    @Override
    public void onStart() {
      started.countDown();
    }
  }

  private void started(Session session, String uid, InetSocketAddress from) {
    log.info("WebSocket client {} connected from {}", uid, from);
    tell(() -> listener.connected(uid, from));
    session.sync().whenComplete((caughtUp, failure) -> {
      if (failure == null) {
        log.info("WebSocket client {} is in sync", uid);
        tell(() -> listener.synced(uid));
      } else {
        log.info("WebSocket client {} left before the sync ended: {}", uid, failure.toString());
      }
    });
  }

  /** Runs a listener call; a listener that fails is logged, and changes nothing here. */
  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("a SyncroWebSocketServer listener failed", e);
    }
  }

  /** The peer's key for the node's sign-in limits: the application's, or its remote address. */
  private String peerKeyOf(WebSocket socket, ClientHandshake handshake) {
    String key = peerKey == null ? null : peerKey.apply(handshake);
    return key == null || key.isEmpty() ? PeerKeys.of(socket.getRemoteSocketAddress()) : key;
  }

  /** Where to listen, and how to know clients; {@link #start} listens. */
  public static final class Builder {
    private final Syncro node;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Function<ClientHandshake, String> clientUid;
    private Function<ClientHandshake, String> peerKey;
    private Listener listener = new Listener() {};

    private Builder(Syncro node) {
      this.node = node;
    }

    /** The port on the loopback address; 0 (the default) for any free one. */
    public Builder port(int port) {
      return bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * The address to listen on; the loopback address by default, so that nothing is exposed by
     * accident. {@code new InetSocketAddress(port)} listens on every interface.
     */
    public Builder bind(InetSocketAddress address) {
      this.address = requireNonNull(address, "address");
      return this;
    }

    /**
     * Names each client from its handshake (its resource, headers or cookies), instead of the
     * token the peer sends: only for what the application itself has checked. A null or empty
     * uid closes the connection.
     */
    public Builder clientUid(Function<ClientHandshake, String> clientUid) {
      this.clientUid = requireNonNull(clientUid, "clientUid");
      return this;
    }

    /**
     * What counts as one peer for the node's limit on failed sign-ins across connections
     * ({@code Syncro.Builder.authBackoff}): by default its remote address. Behind a proxy every
     * peer has the proxy's address, and one peer's failures would hold back all: give the
     * address the proxy reports, as in {@code handshake ->
     * handshake.getFieldValue("X-Real-IP")}, and only behind a proxy that sets that header, since
     * a peer can send any header it likes. A null or empty key falls back to the remote address.
     */
    public Builder peerKey(Function<ClientHandshake, String> peerKey) {
      this.peerKey = requireNonNull(peerKey, "peerKey");
      return this;
    }

    /** Told of clients as they connect, sync and leave; called on the server's threads. */
    public Builder listener(Listener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Listens.
     *
     * @throws SyncroConfigurationException when the node can neither check tokens nor is given
     *     {@link #clientUid}
     * @throws SyncroException when the address cannot be listened on
     */
    public SyncroWebSocketServer start() {
      return new SyncroWebSocketServer(this);
    }
  }
}
