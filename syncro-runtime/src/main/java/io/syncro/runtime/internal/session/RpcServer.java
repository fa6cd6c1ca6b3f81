package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers the peer's {@code rpc} calls of the methods this node exposes. */
public final class RpcServer {
  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  private final SessionHost host;
  private final Outbox outbox;
  private final Supplier<String> peer;
  /** Whether the peer is an original one, which exits on an error it did not expect. */
  private final BooleanSupplier peerSpeaksOriginal;

  public RpcServer(SessionHost host, Outbox outbox, Supplier<String> peer,
      BooleanSupplier peerSpeaksOriginal) {
    this.host = host;
    this.peerSpeaksOriginal = peerSpeaksOriginal;
    this.outbox = outbox;
    this.peer = peer;
  }

  /** Calls the method and answers with its result, or with 404, 405 or 0. */
  public void call(InboundMessage.Rpc call) {
    long id = call.id();
    SessionHost.RpcLookup found = host.rpc(call.klass(), call.method());
    if (found instanceof SessionHost.RpcLookup.NoSuchClass) {
      outbox.refuse(ErrorCode.NO_SUCH_CLASS, id, null);
      return;
    }
    if (!(found instanceof SessionHost.RpcLookup.Found method)) {
      outbox.refuse(ErrorCode.NO_SUCH_METHOD, id, null);
      return;
    }
    String answer;
    try {
      Object result = method.handler().call(peer.get(), call.args());
      JsonNode tree = Json.valueToTree(result);
      answer = Messages.response(id, tree);
    } catch (RuntimeException e) {
      log.warn("rpc {}.{} from {} failed", call.klass(), call.method(), peer.get(), e);
      failed(id, "rpc failed");
      return;
    }
    if (answer.length() > Messages.MAX_FRAME_BYTES) {
      failed(id, "rpc result does not fit in a frame");
      return;
    }
    outbox.add(answer);
  }

  /**
   * Answers a call that failed here: {@code error} 0, or, to an original peer, which exits on
   * an error (404 and 405 are its own answers, and stay), a {@code null} result.
   */
  private void failed(long id, String why) {
    if (peerSpeaksOriginal.getAsBoolean()) {
      host.sparedOriginalPeer();
      outbox.respond(id, Json.NODES.nullNode());
    } else {
      outbox.refuse(ErrorCode.OTHER, id, why);
    }
  }
}
