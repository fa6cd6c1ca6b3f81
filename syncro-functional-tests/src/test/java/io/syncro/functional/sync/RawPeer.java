package io.syncro.functional.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A hand-driven peer bound to a uid: the test writes raw bytes to a node's session and reads, as
 * JSON, every frame the node sends back. Sends happen on the test's own thread, so answers are
 * there as soon as {@link #send} returns.
 */
final class RawPeer {
  private final RawSink sink = new RawSink();
  final Session session;

  RawPeer(Syncro node, String uid) {
    this.session = node.connect(uid, sink);
  }

  static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[payload.length + 2];
    frame[0] = (byte) (payload.length >>> 8);
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    return frame;
  }

  /** Sends one message in its own frame; returns what the node answered to it. */
  List<JsonNode> send(String json) {
    return sink.exchange(session, json);
  }

  /** Sends raw bytes; returns what the node sent back meanwhile. */
  List<JsonNode> sendBytes(byte[] bytes) {
    return sink.exchangeBytes(session, bytes);
  }

  /** Everything the node sent this peer so far, in order. */
  List<JsonNode> received() {
    return sink.received();
  }

  boolean closedByNode() {
    return sink.closed();
  }
}
