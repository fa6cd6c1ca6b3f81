package io.syncro.examples;

import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a Syncro session to a plain blocking socket: the four calls a transport makes (connect,
 * receiveData, disconnect, and sending what the session hands over). Any other transport is
 * wired the same way.
 */
public final class SocketTransport {
  private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

  private SocketTransport() {}

  /**
   * Starts a session with the peer at the other end of the socket, read by a daemon thread.
   *
   * @param peerUid the uid of the client at the other end
   */
  public static Session attach(Syncro node, String peerUid, Socket socket) {
    OutputStream out;
    InputStream in;
    try {
      out = socket.getOutputStream();
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Session session = node.connect(peerUid, new Connection() {
      @Override
      public void send(byte[] bytes) {
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
    });
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          session.receiveData(buffer, 0, read);
        }
      } catch (IOException e) {
        log.debug("connection to {} ended: {}", peerUid, e.toString());
      } finally {
        session.disconnect();
        closeQuietly(socket);
      }
    }, "syncro-" + peerUid);
    reader.setDaemon(true);
    reader.start();
    return session;
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing a socket failed", e);
    }
  }
}
