package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.internal.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A transport that keeps what is sent, as JSON trees. */
final class RecordingOutbound implements Outbound {
  final List<JsonNode> sent = new ArrayList<>();
  boolean closed;

  @Override
  public synchronized void send(String json) {
    try {
      sent.add(Json.readTree(json));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** What was sent since the last call, and forgets it. */
  synchronized List<JsonNode> take() {
    List<JsonNode> taken = new ArrayList<>(sent);
    sent.clear();
    return taken;
  }
}
