package io.syncro.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.RemoteErrorException;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.SyncroConfigurationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server and the client over real loopback sockets: tokens, sync, push, reconnects. The
 * refused-token test makes the client log an error on purpose; the unreachable-server, restart
 * and throwing-listener tests make it log warnings.
 */
class SyncroNettyTest {
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

  private Syncro serverNode() {
    return closeLater(Syncro.builder().nodeUid("server").model(Item.class)
        .authenticator(token -> Optional.ofNullable(Map.of("alice-token", "alice").get(token)))
        .build());
  }

  private Syncro clientNode() {
    return closeLater(Syncro.builder().model(Item.class).trust("server").build());
  }

  private static SyncedRepository<Item, String> items(Syncro node) {
    return node.repository(Item.class, String.class);
  }

  private static String textOf(Syncro node, String id) {
    return items(node).find(id).map(item -> item.text).orElse(null);
  }

  /** What a listener heard, in order. */
  private static final class Heard implements SyncroClient.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Duration> retries = new CopyOnWriteArrayList<>();

    @Override
    public void connected(Session session) {
      events.add("connected");
    }

    @Override
    public void synced(Session session) {
      events.add("synced");
    }

    @Override
    public void disconnected(Duration retryIn) {
      events.add("disconnected");
      retries.add(retryIn);
    }

    @Override
    public void connectFailed(Throwable cause, Duration retryIn) {
      events.add("connectFailed");
      retries.add(retryIn);
    }

    @Override
    public void stopped(Throwable cause) {
      events.add("stopped");
    }
  }

  @Test
  void aClientWithAValidTokenSyncsBothWaysThenBothPushLive() throws Exception {
    Syncro server = serverNode();
    Syncro client = clientNode();
    items(server).save(new Item("s1", "on the server first"));
    items(client).save(new Item("c1", "made offline"));
    List<String> serverHeard = new CopyOnWriteArrayList<>();
    SyncroServer listening = closeLater(SyncroServer.builder(server)
        .listener(new SyncroServer.Listener() {
          @Override
          public void connected(String clientUid, SocketAddress from) {
            serverHeard.add(clientUid + " connected");
          }

          @Override
          public void synced(String clientUid) {
            serverHeard.add(clientUid + " synced");
          }

          @Override
          public void disconnected(String clientUid) {
            serverHeard.add(clientUid + " disconnected");
          }
        }).start());
    Heard heard = new Heard();

    SyncroClient connection = closeLater(SyncroClient.builder(client)
        .server("127.0.0.1", listening.port()).token("alice-token").listener(heard).start());
    connection.firstSync().get(30, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> serverHeard.contains("alice synced"));

    assertThat(textOf(client, "s1")).isEqualTo("on the server first");
    await().atMost(PATIENCE).until(() -> "made offline".equals(textOf(server, "c1")));
    assertThat(heard.events).containsSubsequence("connected", "synced");
    assertThat(server.clients()).anyMatch(state -> state.uid().equals("alice"));

    items(server).save(new Item("s2", "pushed down"));
    items(client).save(new Item("c2", "pushed up"));
    await().atMost(PATIENCE).until(() -> "pushed down".equals(textOf(client, "s2"))
        && "pushed up".equals(textOf(server, "c2")));

    connection.close();
    await().atMost(PATIENCE).until(() -> serverHeard.contains("alice disconnected"));
    assertThat(serverHeard).containsExactly("alice connected", "alice synced", "alice disconnected");
    assertThat(heard.events).doesNotContain("disconnected"); // closed, not dropped
  }

  @Test
  void aRefusedTokenStopsTheClientInsteadOfRetryingForEver() {
    Syncro server = serverNode();
    AtomicLong closedConnections = new AtomicLong();
    SyncroServer listening = closeLater(SyncroServer.builder(server)
        .channelSetup(channel -> channel.closeFuture()
            .addListener(closed -> closedConnections.incrementAndGet()))
        .start());
    Heard heard = new Heard();

    SyncroClient connection = closeLater(SyncroClient.builder(clientNode())
        .server("127.0.0.1", listening.port()).token("a guess").listener(heard).start());

    assertThatThrownBy(() -> connection.firstSync().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RemoteErrorException.class)
        .matches(e -> ((RemoteErrorException) e).errorCode() == ErrorCode.UNAUTHENTICATED);
    await().atMost(PATIENCE).until(() -> heard.events.contains("stopped"));
    assertThat(heard.events).doesNotContain("connected", "disconnected");
    assertThat(connection.isConnected()).isFalse();
    // Its connection is closed at once, not left open until the server's limit on bad tokens.
    await().atMost(PATIENCE).until(() -> closedConnections.get() == 1);
  }

  @Test
  void anUnreachableServerIsReportedWithinSecondsAndTriedAgainLessAndLessOften() throws Exception {
    int nothingListens = freePort();
    Heard heard = new Heard();

    SyncroClient connection = closeLater(SyncroClient.builder(clientNode())
        .server("127.0.0.1", nothingListens)
        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(400))
        .listener(heard).start());

    await().atMost(Duration.ofSeconds(5)).until(() -> heard.retries.size() >= 5);
    assertThat(heard.events).containsOnly("connectFailed");
    List<Duration> retries = List.copyOf(heard.retries);
    assertThat(retries.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(60));
    assertThat(retries.get(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(480));
    assertThat(retries.get(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(480));
    assertThat(connection.isConnected()).isFalse();
  }

  @Test
  void aListenerThatThrowsStopsNeitherTheRetriesNorTheSync() throws Exception {
    int port = freePort();
    List<String> calls = new CopyOnWriteArrayList<>();
    SyncroClient.Listener throwing = new SyncroClient.Listener() {
      @Override
      public void connectFailed(Throwable cause, Duration retryIn) {
        calls.add("connectFailed");
        throw new IllegalStateException("an application listener that fails");
      }

      @Override
      public void connected(Session session) {
        calls.add("connected");
        throw new IllegalStateException("an application listener that fails");
      }
    };
    Syncro server = serverNode();
    items(server).save(new Item("s1", "reached despite the listener"));
    Syncro client = clientNode();

    SyncroClient connection = closeLater(SyncroClient.builder(client)
        .server("127.0.0.1", port).token("alice-token")
        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
        .listener(throwing).start());
    await().atMost(PATIENCE).until(() -> calls.stream().filter("connectFailed"::equals).count() >= 2);
    closeLater(SyncroServer.builder(server).port(port).start());

    connection.firstSync().get(30, TimeUnit.SECONDS);
    assertThat(textOf(client, "s1")).isEqualTo("reached despite the listener");
    assertThat(calls).contains("connected");
  }

  @Test
  void aClientReconnectsAfterTheServerRestartsAndCatchesUpBothWays() throws Exception {
    Syncro server = serverNode();
    Syncro client = clientNode();
    SyncroServer first = SyncroServer.builder(server).start();
    int port = first.port();
    Heard heard = new Heard();
    SyncroClient connection = closeLater(SyncroClient.builder(client)
        .server("127.0.0.1", port).token("alice-token")
        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500))
        .listener(heard).start());
    connection.firstSync().get(30, TimeUnit.SECONDS);

    first.close();
    await().atMost(PATIENCE).until(() -> heard.events.contains("disconnected"));
    items(server).save(new Item("while-down-server", "made while the server listened to no one"));
    items(client).save(new Item("while-down-client", "made while the client was cut off"));
    await().atMost(PATIENCE).until(() -> heard.events.stream().filter("connectFailed"::equals).count() >= 2);

    closeLater(SyncroServer.builder(server).port(port).start());

    await().atMost(PATIENCE).until(() -> heard.events.stream().filter("synced"::equals).count() == 2);
    await().atMost(PATIENCE).until(() -> textOf(client, "while-down-server") != null
        && textOf(server, "while-down-client") != null);
    items(server).save(new Item("after", "pushed on the new connection"));
    await().atMost(PATIENCE).until(() -> textOf(client, "after") != null);
  }

  @Test
  void aServerTheTransportVouchesForTakesClientsWithoutTokens() throws Exception {
    Syncro server = closeLater(Syncro.builder().nodeUid("server").model(Item.class).build());
    Syncro client = clientNode();
    SyncroServer listening = closeLater(SyncroServer.builder(server)
        .clientUid(channel -> "bob").start());
    items(client).save(new Item("b1", "bob's"));

    closeLater(SyncroClient.builder(client).server("127.0.0.1", listening.port()).start())
        .firstSync().get(30, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> textOf(server, "b1") != null);
    assertThat(server.clients()).anyMatch(state -> state.uid().equals("bob"));
  }

  @Test
  void syncroChannelsServeFromAPipelineOfTheApplicationsOwnAndChannelSetupAddsHandlers()
      throws Exception {
    Syncro server = serverNode();
    Syncro client = clientNode();
    items(server).save(new Item("s1", "served by the application's own bootstrap"));
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventExecutorGroup sessions = new DefaultEventExecutorGroup(1);
    closeLater(() -> {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      sessions.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    });
    Channel listening = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(sessions, SyncroChannels.authenticating(server, Session::sync));
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    closeLater(() -> listening.close().syncUninterruptibly());
    AtomicLong bytesSeen = new AtomicLong();

    SyncroClient connection = closeLater(SyncroClient.builder(client)
        .server("127.0.0.1", ((InetSocketAddress) listening.localAddress()).getPort())
        .token("alice-token")
        .channelSetup(channel -> channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext context, Object message) {
            bytesSeen.addAndGet(((ByteBuf) message).readableBytes());
            context.fireChannelRead(message);
          }
        }))
        .start());
    connection.firstSync().get(30, TimeUnit.SECONDS);

    assertThat(textOf(client, "s1")).isEqualTo("served by the application's own bootstrap");
    assertThat(bytesSeen.get()).as("bytes through the application's handler").isPositive();
  }

  @Test
  void aServerThatCannotTellWhoAClientIsRefusesToStart() {
    Syncro withoutAuthenticator = closeLater(Syncro.builder().model(Item.class).build());

    assertThatThrownBy(() -> SyncroServer.builder(withoutAuthenticator).start())
        .isInstanceOf(SyncroConfigurationException.class)
        .hasMessageContaining(".authenticator(")
        .hasMessageContaining(".clientUid(");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
