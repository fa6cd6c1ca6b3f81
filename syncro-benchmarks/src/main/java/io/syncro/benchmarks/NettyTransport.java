package io.syncro.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load driver's transport: Syncro over TCP with Netty, the client saying its uid on a first
 * line, then both sides speaking Syncro's frames. Kept as it was measured, so that figures stay
 * comparable across runs; applications use {@code syncro-netty} ({@code SyncroServer},
 * {@code SyncroClient}), which authenticates with tokens instead.
 *
 * <p>Sessions run on their own executors, not on Netty's event loops, because replaying a scribe
 * writes to the store, which may wait for the disk. A peer that lets more than 4 MiB of our
 * messages pile up unread is disconnected, and catches up on its next sync.
 */
public final class NettyTransport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
  private static final int MAX_UID_BYTES = 256;
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final EventExecutorGroup sessions = new DefaultEventExecutorGroup(4);

  /**
   * Listens on a loopback port (0 for any); every client that connects gets a session of
   * {@code node}, handed to {@code onSession} once it has said its uid.
   *
   * @return the listening channel; its local address has the port
   */
  public Channel listen(Syncro node, int port, Consumer<Session> onSession) throws InterruptedException {
    return new ServerBootstrap()
        .group(loops)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(sessions, new SyncroHandler(node, onSession));
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .sync()
        .channel();
  }

  /**
   * Connects a client node to a server on a loopback port and says who it is.
   *
   * @return the session with the server, known to the client as {@code serverUid}
   */
  public Session connect(Syncro node, int port, String uid, String serverUid) throws InterruptedException {
    SyncroHandler handler = new SyncroHandler(node, session -> { });
    Channel channel = new Bootstrap()
        .group(loops)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(sessions, handler);
          }
        })
        .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .sync()
        .channel();
    // Bound before the server hears of us, so no byte from it can find the handler without one.
    Session session = node.connect(serverUid, connectionOf(channel));
    handler.session = session;
    channel.writeAndFlush(Unpooled.copiedBuffer(uid + "\n", StandardCharsets.UTF_8)).sync();
    return session;
  }

  @Override
  public void close() {
    loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    sessions.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** What Syncro needs of a channel: send bytes in order, close. */
  private static Connection connectionOf(Channel channel) {
    return new Connection() {
      @Override
      public void send(byte[] bytes) {
        if (!channel.isActive()) {
          throw new IllegalStateException("the connection is closed");
        }
        if (!channel.isWritable()) {
          channel.close();
          throw new IllegalStateException("the peer reads too slowly");
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
      }

      @Override
      public void close() {
        channel.close();
      }
    };
  }

  /**
   * One channel's session: on a client, bound when it connects; on a server, made once the
   * client has said its uid.
   */
  private static final class SyncroHandler extends ChannelInboundHandlerAdapter {
    private final Syncro node;
    private final Consumer<Session> onSession;
    private final ByteArrayOutputStream uidLine = new ByteArrayOutputStream();
    volatile Session session;

    SyncroHandler(Syncro node, Consumer<Session> onSession) {
      this.node = node;
      this.onSession = onSession;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      ByteBuf buffer = (ByteBuf) message;
      try {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        int offset = 0;
        if (session == null) {
          offset = readUid(context, bytes);
          if (session == null) {
            return;
          }
        }
        session.receiveData(bytes, offset, bytes.length - offset);
      } finally {
        buffer.release();
      }
    }

    /** Reads the uid line; returns where Syncro's bytes start. */
    private int readUid(ChannelHandlerContext context, byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          String uid = uidLine.toString(StandardCharsets.UTF_8);
          session = node.connect(uid, connectionOf(context.channel()));
          onSession.accept(session);
          return i + 1;
        }
        if (uidLine.size() == MAX_UID_BYTES) {
          log.warn("closing a connection whose first line is not a uid");
          context.close();
          return bytes.length;
        }
        uidLine.write(bytes[i]);
      }
      return bytes.length;
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (session != null) {
        session.disconnect();
      }
      context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      if (cause instanceof java.util.concurrent.RejectedExecutionException) {
        log.debug("closing a connection while shutting down: {}", cause.toString());
      } else {
        log.warn("closing a connection: {}", cause.toString());
      }
      context.close();
    }
  }
}
