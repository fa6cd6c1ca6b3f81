package io.syncro.functional.sync;

import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Two nodes over a real loopback TCP connection, each side read by a thread that hands whatever
 * one read returns to its session. The client announces its uid in a one-line preamble, the
 * way a transport that authenticates by itself binds the client.
 */
final class TcpLink extends RecordingLink {
  private final ServerSocket server;
  private final Socket clientSocket;
  private final Socket serverSocket;

  /** {@code serverNode} listens; {@code clientNode} connects, known there as {@code clientUid}. */
  TcpLink(Syncro serverNode, String serverUid, Syncro clientNode, String clientUid) {
    try {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      clientSocket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      clientSocket.getOutputStream().write((clientUid + "\n").getBytes(StandardCharsets.UTF_8));
      serverSocket = server.accept();
      String announced = readLine(serverSocket.getInputStream());
      first = serverNode.connect(announced,
          new SocketConnection(serverSocket, frame -> noteSent(true, frame)));
      second = clientNode.connect(serverUid,
          new SocketConnection(clientSocket, frame -> noteSent(false, frame)));
      startReader(serverSocket, first);
      startReader(clientSocket, second);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  /** Hands whatever each read of the socket returns to the session, on a thread of its own. */
  static void startReader(Socket socket, Session session) {
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = socket.getInputStream()) {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          session.receiveData(buffer, 0, read);
        }
      } catch (IOException e) {
        // The socket closed: the session is told below.
      } finally {
        session.disconnect();
      }
    }, "tcp-reader-" + session.clientUid());
    reader.setDaemon(true);
    reader.start();
  }



  @Override
  public void drop() {
    closeQuietly(clientSocket);
    closeQuietly(serverSocket);
  }

  @Override
  public void close() {
    drop();
    closeQuietly(server);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort in tests.
    }
  }

  /** A connection writing to a socket; {@code beforeSend} sees each frame first. */
  static final class SocketConnection implements Connection {
    private final Socket socket;
    private final OutputStream out;
    private final Consumer<byte[]> beforeSend;

    SocketConnection(Socket socket, Consumer<byte[]> beforeSend) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.beforeSend = beforeSend;
    }

    @Override
    public void send(byte[] bytes) {
      beforeSend.accept(bytes);
      try {
        out.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      closeQuietly(socket);
    }
  }
}
