package io.syncro.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's Syncro session: opened when the channel becomes active, handed every byte that
 * arrives (Syncro reassembles frames itself), disconnected when the channel closes. Runs on an
 * executor of its own, not on Netty's event loop, because applying a scribe writes to the
 * node's store, which may wait for the disk or for Redis.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  /** Unwritten bytes past which a channel is not writable: a peer that reads that slowly is closed. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

  private final BiFunction<Channel, Connection, Session> open;
  private final Consumer<Session> onClosed;
  private Session session;

  /**
   * @param open starts the session on the channel's connection ({@code node.accept} or
   *     {@code node.connect})
   * @param onClosed told once the channel closed and its session was disconnected
   */
  SessionHandler(BiFunction<Channel, Connection, Session> open, Consumer<Session> onClosed) {
    this.open = open;
    this.onClosed = onClosed;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    session = open.apply(context.channel(), connectionOf(context.channel()));
    context.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    ByteBuf buffer = (ByteBuf) message;
    try {
      if (buffer.hasArray()) {
        session.receiveData(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(),
            buffer.readableBytes());
      } else {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        session.receiveData(bytes);
      }
    } finally {
      buffer.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (session != null) {
      session.disconnect();
      onClosed.accept(session);
    }
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    if (cause instanceof RejectedExecutionException) {
      log.debug("closing {} while shutting down", context.channel().remoteAddress());
    } else {
      log.warn("closing the connection with {}: {}", context.channel().remoteAddress(), cause.toString());
    }
    context.close();
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
          // More than the high water mark unread: the session catches up on the next connection.
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
}
