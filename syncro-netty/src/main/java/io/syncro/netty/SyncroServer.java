package io.syncro.netty;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.syncro.runtime.Connection;
import io.syncro.runtime.PeerKeys;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncroConfigurationException;
import io.syncro.runtime.SyncroException;
import io.syncro.runtime.Syncro;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's clients over TCP: listens on an address and gives each connection a session of the
 * node. Who a client is comes from its token ({@code auth}, checked by the node's
 * {@code Authenticator}: the default, and what the Java {@link SyncroClient} and the original
 * library's peers with the extension send), or from the transport itself when it vouches for the
 * peer ({@link Builder#clientUid}, e.g. a TLS client certificate). Once a client is known, the
 * server syncs with it (one sync catches up both ways) and pushes it every change it may see.
 *
 * <pre>{@code
 * Syncro node = Syncro.builder().model(Note.class)
 *     .authenticator(token -> Optional.ofNullable(uidsByToken.get(token)))
 *     .build();
 * SyncroServer server = SyncroServer.builder(node).port(7000).start();
 * }</pre>
 *
 * <p>Logs each client that connects, syncs and leaves at INFO. Closing the server closes its
 * connections, not the node.
 */
public final class SyncroServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncroServer.class);
  /** How long the session threads wait for a closed connection's last events. */
  static final long QUIET_MILLIS = 100;

  /** What happens to the server's clients, for an application to show or count. */
  public interface Listener {
    /** A client is known (authenticated, or bound by the transport); its sync starts. */
    default void connected(String clientUid, SocketAddress from) {}

    /** This node has applied what the client had for it; live from here. */
    default void synced(String clientUid) {}

    /** A known client's connection closed. */
    default void disconnected(String clientUid) {}
  }

  private final Syncro node;
  private final Function<Channel, String> clientUid;
  private final Listener listener;
  private final EventLoopGroup loops;
  private final EventExecutorGroup sessions;
  private final Channel listening;
  /** The clients' connections, closed first when the server closes. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private SyncroServer(Builder builder) {
    this.node = builder.node;
    this.clientUid = builder.clientUid;
    this.listener = builder.listener;
    if (clientUid == null && !node.acceptsTokens()) {
      throw new SyncroConfigurationException("a SyncroServer must know who each client is: build"
          + " the node with .authenticator(...) (clients send a token), or give the server"
          + " .clientUid(channel -> uid) when the transport itself vouches for the peer");
    }
    this.loops = new MultiThreadIoEventLoopGroup(builder.ioThreads, NioIoHandler.newFactory());
    this.sessions = new DefaultEventExecutorGroup(builder.sessionThreads);
    try {
      this.listening = new ServerBootstrap()
          .group(loops)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SessionHandler.WATER_MARK)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              connections.add(channel);
              builder.channelSetup.accept(channel);
              channel.pipeline().addLast(sessions,
                  new SessionHandler(SyncroServer.this::open, SyncroServer.this::closed));
            }
          })
          .bind(builder.address)
          .syncUninterruptibly()
          .channel();
    } catch (RuntimeException e) {
      shutDown();
      throw new SyncroException("could not listen on " + builder.address + ": " + e.getMessage(), e);
    }
    log.info("listening for Syncro clients on {}", address());
  }

  /** A builder for a server of {@code node}. */
  public static Builder builder(Syncro node) {
    return new Builder(requireNonNull(node, "node"));
  }

  /** The address the server listens on; its port is the one chosen when the builder said 0. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listening.localAddress();
  }

  /** The port the server listens on. */
  public int port() {
    return address().getPort();
  }

  /** Stops listening and closes every connection; the node and its store stay open. */
  @Override
  public void close() {
    listening.close().syncUninterruptibly();
    // The connections first, while their session threads and event loops still run: closing
    // one hands its last events from one to the other.
    connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    shutDown();
    log.info("stopped listening on {}", listening.localAddress());
  }

  private void shutDown() {
    // A quiet moment first: a closed connection's last events reach the session threads from
    // the event loop just after the close itself.
    sessions.shutdownGracefully(QUIET_MILLIS, 2_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Session open(Channel channel, Connection connection) {
    Session session = clientUid == null
        ? node.accept(connection, PeerKeys.of(channel.remoteAddress()))
        : node.connect(clientUid.apply(channel), connection);
    session.authenticated().thenAccept(uid -> started(session, uid, channel));
    return session;
  }

  private void started(Session session, String uid, Channel channel) {
    log.info("client {} connected from {}", uid, channel.remoteAddress());
    tell(() -> listener.connected(uid, channel.remoteAddress()));
    session.sync().whenComplete((caughtUp, failure) -> {
      if (failure == null) {
        log.info("client {} is in sync", uid);
        tell(() -> listener.synced(uid));
      } else {
        log.info("client {} left before the sync ended: {}", uid, failure.toString());
      }
    });
  }

  private void closed(Session session) {
    String uid = session.clientUid();
    if (uid != null) {
      log.info("client {} disconnected", uid);
      tell(() -> listener.disconnected(uid));
    }
  }

  private static void tell(Runnable call) {
    ListenerCalls.tell(log, "SyncroServer", call);
  }

  /** Where to listen, and how to know clients; {@link #start} listens. */
  public static final class Builder {
    private final Syncro node;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Function<Channel, String> clientUid;
    private int ioThreads = 2;
    private int sessionThreads = 4;
    private Listener listener = new Listener() {};
    private Consumer<SocketChannel> channelSetup = channel -> { };

    private Builder(Syncro node) {
      this.node = node;
    }

    /** The port on the loopback address; 0 (the default) for any free one. */
    public Builder port(int port) {
      return bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * The address to listen on; the loopback address by default, so that nothing is exposed
     * by accident. {@code new InetSocketAddress(port)} listens on every interface.
     */
    public Builder bind(InetSocketAddress address) {
      this.address = requireNonNull(address, "address");
      return this;
    }

    /**
     * Binds each connection to the uid the transport vouches for (a TLS client certificate, a
     * proxy's header), instead of the token the peer sends. The function runs when the
     * connection opens; it must not return null or empty.
     */
    public Builder clientUid(Function<Channel, String> clientUid) {
      this.clientUid = requireNonNull(clientUid, "clientUid");
      return this;
    }

    /**
     * Adds the application's handlers to each new connection's pipeline, before Syncro's: TLS
     * ({@code sslContext.newHandler(channel.alloc())}), connection limits, metrics.
     */
    public Builder channelSetup(Consumer<SocketChannel> setup) {
      this.channelSetup = requireNonNull(setup, "setup");
      return this;
    }

    /** Told of clients as they connect, sync and leave; called on the session threads. */
    public Builder listener(Listener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /** Netty's threads for the sockets; 2 by default. */
    public Builder ioThreads(int threads) {
      this.ioThreads = positive(threads, "ioThreads");
      return this;
    }

    /**
     * Threads that run sessions (applying scribes writes to the store, so not Netty's own); 4
     * by default. Each connection stays on one of them.
     */
    public Builder sessionThreads(int threads) {
      this.sessionThreads = positive(threads, "sessionThreads");
      return this;
    }

    /**
     * Listens.
     *
     * @throws SyncroConfigurationException when the node can neither check tokens nor is given
     *     {@link #clientUid}
     * @throws SyncroException when the address cannot be listened on (taken, not local)
     */
    public SyncroServer start() {
      return new SyncroServer(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new SyncroConfigurationException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
