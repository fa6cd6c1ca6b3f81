package io.syncro.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.syncro.runtime.PeerKeys;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Syncro's handler for a Netty pipeline of the application's own, for a server or client built
 * without {@link SyncroServer} or {@link SyncroClient}. One handler per channel, added last, on
 * an executor group of its own (replaying a scribe writes to the store, which may wait):
 *
 * <pre>{@code
 * EventExecutorGroup sessions = new DefaultEventExecutorGroup(4);
 * // in a ChannelInitializer:
 * channel.pipeline().addLast(sslContext.newHandler(channel.alloc()));
 * channel.pipeline().addLast(sessions, SyncroChannels.authenticating(node, Session::sync));
 * }</pre>
 *
 * <p>The handler starts the session when the channel becomes active, hands it every byte that
 * arrives (Syncro reassembles its frames itself), and disconnects it when the channel closes.
 */
public final class SyncroChannels {
  private SyncroChannels() {}

  /**
   * A handler whose peer authenticates with a token (the node's {@code Authenticator});
   * {@code onAuthenticated} gets the session once it has (a server typically syncs then).
   */
  public static ChannelHandler authenticating(Syncro node, Consumer<Session> onAuthenticated) {
    requireNonNull(node, "node");
    requireNonNull(onAuthenticated, "onAuthenticated");
    return new SessionHandler((channel, connection) -> {
      Session session = node.accept(connection, PeerKeys.of(channel.remoteAddress()));
      session.authenticated().thenRun(() -> onAuthenticated.accept(session));
      return session;
    }, closed -> { });
  }

  /**
   * A handler whose peer is the client {@code clientUid} names for the channel (the transport
   * vouched for it: a TLS client certificate, a peer this node dialled); {@code onOpen} gets the
   * session at once (to sync, or to authenticate this node to the peer).
   */
  public static ChannelHandler bound(Syncro node, Function<Channel, String> clientUid,
      Consumer<Session> onOpen) {
    requireNonNull(node, "node");
    requireNonNull(clientUid, "clientUid");
    requireNonNull(onOpen, "onOpen");
    return new SessionHandler((channel, connection) -> {
      Session session = node.connect(clientUid.apply(channel), connection);
      onOpen.accept(session);
      return session;
    }, closed -> { });
  }
}
