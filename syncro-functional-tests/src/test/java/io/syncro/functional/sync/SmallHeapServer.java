package io.syncro.functional.sync;

import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run in its own JVM, with a small heap, by {@link UnauthenticatedFloodTest}: a server node that
 * takes every TCP connection with {@code accept()} (the peer must authenticate with the token
 * {@code alice-token}), on one selector thread. It prints {@code port N} once it listens, and
 * exposes {@code Server.memos} (how many memos it holds) and {@code Server.heapMiB} (the heap in
 * use after a collection) to its peers.
 */
public final class SmallHeapServer {
  private SmallHeapServer() {}

  public static void main(String[] args) throws IOException {
    AtomicReference<Syncro> self = new AtomicReference<>();
    Syncro node = Syncro.builder()
        .model(Memo.class)
        .authenticator(token -> token.equals("alice-token") ? Optional.of("alice") : Optional.empty())
        .rpc("Server", "memos",
            (caller, arguments) -> self.get().repository(Memo.class, String.class).findAll().size())
        .rpc("Server", "heapMiB", (caller, arguments) -> {
          System.gc();
          Runtime runtime = Runtime.getRuntime();
          return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        })
        .build();
    self.set(node);

    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4_096);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    System.out.println("port " + server.socket().getLocalPort());
    System.out.flush();

    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    while (true) {
      selector.select();
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        if (key.isAcceptable()) {
          SocketChannel channel = server.accept();
          if (channel != null) {
            channel.configureBlocking(false);
            Session session = node.accept(new ChannelConnection(channel));
            session.authenticated().thenRun(session::sync);
            channel.register(selector, SelectionKey.OP_READ, session);
          }
        } else if (key.isReadable()) {
          read((SocketChannel) key.channel(), (Session) key.attachment(), buffer, key);
        }
      }
    }
  }

  private static void read(SocketChannel channel, Session session, ByteBuffer buffer, SelectionKey key) {
    buffer.clear();
    int read;
    try {
      read = channel.read(buffer);
    } catch (IOException e) {
      read = -1;
    }
    if (read > 0) {
      session.receiveData(buffer.array(), 0, read);
    }
    if (read < 0 || !session.isOpen()) {
      session.disconnect();
      key.cancel();
      try {
        channel.close();
      } catch (IOException e) {
        // closing is best effort
      }
    }
  }

  /** Writes frames to a non-blocking channel, whole, one sender at a time. */
  private static final class ChannelConnection implements Connection {
    private final SocketChannel channel;

    ChannelConnection(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public synchronized void send(byte[] bytes) {
      ByteBuffer frame = ByteBuffer.wrap(bytes);
      try {
        while (frame.hasRemaining()) {
          channel.write(frame);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing is best effort
      }
    }
  }
}
