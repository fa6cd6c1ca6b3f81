package io.syncro.functional.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A connection that keeps, as JSON, every frame a node sends on it. */
final class RawSink implements Connection {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> received = new ArrayList<>();
  private boolean closed;

  /** Feeds one framed message to the session; returns what the node answered meanwhile. */
  List<JsonNode> exchange(Session session, String json) {
    return exchangeBytes(session, RawPeer.frame(json));
  }

  /** Feeds raw bytes to the session; returns what the node sent back meanwhile. */
  synchronized List<JsonNode> exchangeBytes(Session session, byte[] bytes) {
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
    closed = true;
  }

  synchronized boolean closed() {
    return closed;
  }

  synchronized List<JsonNode> received() {
    return List.copyOf(received);
  }
}
