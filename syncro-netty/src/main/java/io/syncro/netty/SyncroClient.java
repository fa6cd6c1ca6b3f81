package io.syncro.netty;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncroConfigurationException;
import io.syncro.runtime.Syncro;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connection to its server over TCP, kept up: it connects, authenticates with its token
 * (when it has one), syncs (one sync catches up both ways, then changes are pushed live both
 * ways), and when the connection cannot be made or drops, tries again after a delay that doubles
 * up to a ceiling, with jitter, until it is closed. A refused token stops it: trying again would
 * not help.
 *
 * <pre>{@code
 * Syncro node = Syncro.builder().model(Note.class).trust("server").build();
 * SyncroClient client = SyncroClient.builder(node)
 *     .server("127.0.0.1", 7000)
 *     .token(myToken)
 *     .listener(new SyncroClient.Listener() {
 *       public void connectFailed(Throwable cause, Duration retryIn) {
 *         System.out.println("server unreachable, trying again in " + retryIn.toSeconds() + " s");
 *       }
 *     })
 *     .start();
 * client.firstSync().get(30, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>Closing the client closes its connection, not the node.
 */
public final class SyncroClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncroClient.class);

  /** What happens to the connection, for an application to show. Called on Syncro's threads. */
  public interface Listener {
    /** Connected, and authenticated when the client has a token; the sync starts now. */
    default void connected(Session session) {}

    /**
     * This node has applied what the server had for it on this connection, and is live from
     * here; the server takes this node's changes at the same time, on its side.
     */
    default void synced(Session session) {}

    /** The connection dropped; the client tries again in {@code retryIn}. */
    default void disconnected(Duration retryIn) {}

    /** The server could not be reached; the client tries again in {@code retryIn}. */
    default void connectFailed(Throwable cause, Duration retryIn) {}

    /** The client stopped for good: its token was refused. */
    default void stopped(Throwable cause) {}
  }

  private final Syncro node;
  private final InetSocketAddress server;
  private final String serverUid;
  private final String token;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Listener listener;
  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventExecutorGroup sessions = new DefaultEventExecutorGroup(1);
  private final Bootstrap bootstrap;
  private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
  private volatile Session session;
  /** The open connection, if any. */
  private volatile Channel channel;
  /** Whether {@link #close} has run. */
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private volatile boolean closed;
  /** The delay before the next attempt; doubled by each failure, reset by a sync. */
  private Duration delay;

  private SyncroClient(Builder builder) {
    this.node = builder.node;
    this.server = InetSocketAddress.createUnresolved(builder.host, builder.port);
    this.serverUid = builder.serverUid;
    this.token = builder.token;
    this.firstDelay = builder.firstDelay;
    this.maxDelay = builder.maxDelay;
    this.listener = builder.listener;
    this.delay = firstDelay;
    this.bootstrap = new Bootstrap()
        .group(loops)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) builder.connectTimeout.toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, SessionHandler.WATER_MARK)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            builder.channelSetup.accept(channel);
            channel.pipeline().addLast(sessions, new SessionHandler(
                (connected, connection) -> opened(node.connect(serverUid, connection), connected),
                closedSession -> dropped()));
          }
        });
    connect();
  }

  /** A builder for a client of {@code node}. */
  public static Builder builder(Syncro node) {
    return new Builder(requireNonNull(node, "node"));
  }

  /**
   * Completes when this node has applied what the server had for it, on the first connection
   * (the server takes this node's changes at the same time, on its side); fails only if the
   * client stops for good (a refused token) or is closed first. Later connections are reported
   * to the listener.
   */
  public CompletableFuture<Void> firstSync() {
    return firstSync.copy();
  }

  /** The session with the server while connected. */
  public Optional<Session> session() {
    Session current = session;
    return current != null && current.isOpen() ? Optional.of(current) : Optional.empty();
  }

  /** Whether a connection is open now. */
  public boolean isConnected() {
    return session().isPresent();
  }

  /** Closes the connection and stops trying; the node stays open. Returns at once; idempotent. */
  @Override
  public void close() {
    closed = true;
    if (!shutDown.compareAndSet(false, true)) {
      return;
    }
    Session current = session;
    if (current != null) {
      current.disconnect();
    }
    firstSync.completeExceptionally(new IllegalStateException("the client was closed"));
    // The connection first, while the session thread and the event loop still run (closing it
    // hands its last events from one to the other), then the session thread, then the loop.
    Channel open = channel;
    ChannelFuture closing = open == null ? null : open.close();
    Runnable stopThreads = () -> sessions
        .shutdownGracefully(SyncroServer.QUIET_MILLIS, 1_000, TimeUnit.MILLISECONDS)
        .addListener(sessionsDone -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS));
    if (closing == null) {
      stopThreads.run();
    } else {
      closing.addListener(channelClosed -> stopThreads.run());
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    InetSocketAddress resolved = new InetSocketAddress(server.getHostString(), server.getPort());
    ChannelFuture attempt = bootstrap.connect(resolved);
    attempt.addListener(done -> {
      if (!done.isSuccess() && !closed) {
        Duration retryIn = nextDelay();
        log.warn("could not reach the Syncro server at {}:{} ({}); trying again in {} ms",
            server.getHostString(), server.getPort(), done.cause().toString(), retryIn.toMillis());
        tell(() -> listener.connectFailed(done.cause(), retryIn));
        schedule(retryIn);
      }
    });
  }

  private Session opened(Session opened, Channel channel) {
    this.channel = channel;
    session = opened;
    CompletableFuture<?> ready = token == null
        ? CompletableFuture.completedFuture(null)
        : opened.authenticate(token);
    ready.thenCompose(uid -> {
      log.info("connected to the Syncro server at {}:{}", server.getHostString(), server.getPort());
      tell(() -> listener.connected(opened));
      return opened.sync();
    }).whenComplete((caughtUp, failure) -> {
      if (failure == null) {
        synchronized (this) {
          delay = firstDelay;
        }
        log.info("in sync with the server");
        tell(() -> listener.synced(opened));
        firstSync.complete(null);
      } else if (refusedToken(failure)) {
        log.error("the Syncro server refused this client's token; not trying again");
        closed = true;
        channel.close(); // the session is disconnected when the channel is inactive
        tell(() -> listener.stopped(failure));
        firstSync.completeExceptionally(failure);
      } else if (remoteCode(failure) == ErrorCode.TOO_MANY_ATTEMPTS) {
        // Not a refusal of the token, which was not checked: too many sign-ins failed lately
        // from this address or on the server. The server closes; the next try waits longer.
        log.warn("the Syncro server holds sign-ins back for now ({}); trying again later",
            unwrapped(failure).getMessage());
      } else {
        log.debug("the sync with the server ended early: {}", failure.toString());
      }
    });
    return opened;
  }

  private void dropped() {
    session = null;
    if (closed) {
      return;
    }
    Duration retryIn = nextDelay();
    log.warn("lost the connection to the Syncro server; trying again in {} ms", retryIn.toMillis());
    tell(() -> listener.disconnected(retryIn));
    schedule(retryIn);
  }

  private static void tell(Runnable call) {
    ListenerCalls.tell(log, "SyncroClient", call);
  }

  private void schedule(Duration retryIn) {
    try {
      loops.schedule(this::connect, retryIn.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException shuttingDown) {
      log.debug("not trying again: the client is closing");
    }
  }

  /** This failure's delay, with up to a fifth of jitter, and the next one doubled. */
  private synchronized Duration nextDelay() {
    Duration current = delay;
    Duration doubled = delay.multipliedBy(2);
    delay = doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
    long jitter = (long) (current.toMillis() * 0.2 * ThreadLocalRandom.current().nextDouble());
    return current.plusMillis(jitter);
  }

  private static boolean refusedToken(Throwable failure) {
    return remoteCode(failure) == ErrorCode.UNAUTHENTICATED;
  }

  /** The code of the server's error that {@code failure} is, or null when it is none. */
  private static ErrorCode remoteCode(Throwable failure) {
    return unwrapped(failure) instanceof RemoteErrorException remote ? remote.errorCode() : null;
  }

  private static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  /** The server, the token, and how patiently to try; {@link #start} connects. */
  public static final class Builder {
    private final Syncro node;
    private String host = "127.0.0.1";
    private int port = -1;
    private String serverUid = "server";
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Duration firstDelay = Duration.ofMillis(250);
    private Duration maxDelay = Duration.ofSeconds(30);
    private Listener listener = new Listener() {};
    private Consumer<SocketChannel> channelSetup = channel -> { };

    private Builder(Syncro node) {
      this.node = node;
    }

    /** The server's host and port; required. */
    public Builder server(String host, int port) {
      if (port < 1 || port > 65_535) {
        throw new SyncroConfigurationException("not a TCP port: " + port);
      }
      this.host = requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * The uid this node knows the server by, as a client of its own ({@code "server"} by
     * default): the uid the node trusts ({@code trust("server")}) and keeps a cursor for.
     */
    public Builder serverUid(String uid) {
      this.serverUid = requireNonNull(uid, "uid");
      return this;
    }

    /** The token sent to authenticate on each connection; none by default. */
    public Builder token(String token) {
      this.token = requireNonNull(token, "token");
      return this;
    }

    /** How long one attempt to connect may take; 3 seconds by default. */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new SyncroConfigurationException("connectTimeout out of range: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The delay before trying again after a failure, doubled by each failure that follows up to
     * {@code max}, back to {@code first} after a sync; 250 ms and 30 s by default.
     */
    public Builder reconnectDelay(Duration first, Duration max) {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new SyncroConfigurationException(
            "reconnectDelay needs 0 < first <= max: " + first + ", " + max);
      }
      this.firstDelay = first;
      this.maxDelay = max;
      return this;
    }

    /**
     * Adds the application's handlers to each new connection's pipeline, before Syncro's: TLS
     * ({@code sslContext.newHandler(channel.alloc(), host, port)}), a proxy, metrics.
     */
    public Builder channelSetup(Consumer<SocketChannel> setup) {
      this.channelSetup = requireNonNull(setup, "setup");
      return this;
    }

    /** Told of connections, syncs and failures. */
    public Builder listener(Listener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Starts connecting; returns at once (see {@link SyncroClient#firstSync}).
     *
     * @throws SyncroConfigurationException when no server was given
     */
    public SyncroClient start() {
      if (port < 0) {
        throw new SyncroConfigurationException("a SyncroClient needs .server(host, port)");
      }
      return new SyncroClient(this);
    }
  }
}
