package io.syncro.functional.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-driven peer: the test writes raw bytes to a node's session and reads, as JSON, every
 * frame the node sends back. Sends happen on the test's own thread, so answers are there as
 * soon as {@link #send} returns.
 */
final class RawPeer implements Connection {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> received = new ArrayList<>();
  private boolean closedByNode;
  final Session session;

  RawPeer(Syncro node, String uid) {
    this.session = node.connect(uid, this);
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
  synchronized List<JsonNode> send(String json) {
    return sendBytes(frame(json));
  }

  /** Sends raw bytes; returns what the node sent back meanwhile. */
  synchronized List<JsonNode> sendBytes(byte[] bytes) {
    int before = received.size();
    session.receiveData(bytes);
    return List.copyOf(received.subList(before, received.size()));
  }

  @Override
  public synchronized void send(byte[] bytes) {
    try {
      received.add(JSON.readTree(new String(bytes, 2, bytes.length - 2, StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    closedByNode = true;
  }

  synchronized boolean closedByNode() {
    return closedByNode;
  }

  synchronized List<JsonNode> received() {
    return List.copyOf(received);
  }
}
