package io.syncro.runtime;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Peer keys for {@link Syncro#accept(Connection, String)}: what stays the same when a peer
 * reconnects, so that failed authentications are counted across its connections.
 */
public final class PeerKeys {
  private PeerKeys() {}

  /**
   * The key of a peer at {@code address}: its IP address without the port (a new one with every
   * connection); for IPv6, its /64 network, since one host is usually handed a whole /64 and
   * could otherwise take a new address for every guess. Null when the address is not an IP
   * socket address (a peer key is then not counted). Behind a proxy every peer has the proxy's
   * address: give the address the proxy reports instead, or one peer's failures hold back all.
   */
  public static String of(SocketAddress address) {
    if (!(address instanceof InetSocketAddress socket) || socket.getAddress() == null) {
      return null;
    }
    InetAddress ip = socket.getAddress();
    if (ip instanceof Inet6Address) {
      byte[] bytes = ip.getAddress();
      StringBuilder network = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
            .append(':');
      }
      return network.append(":/64").toString();
    }
    return ip.getHostAddress();
  }
}
