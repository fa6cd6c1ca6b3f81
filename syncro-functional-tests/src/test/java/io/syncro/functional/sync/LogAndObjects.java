package io.syncro.functional.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.store.ScribeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two views of a node's objects that must agree: the objects its store keeps, and the
 * objects its log of scribes describes when replayed from the start.
 */
final class LogAndObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogAndObjects() {}

  /** The stored objects of a class, by id. */
  static Map<String, JsonNode> stored(ScribeStore store, String klass) {
    Map<String, JsonNode> byId = new TreeMap<>();
    for (String json : store.objects(klass)) {
      JsonNode object = parse(json);
      byId.put(object.path("id").asText(), object);
    }
    return byId;
  }

  /** The objects of a class as the log's scribes, replayed in order, leave them. */
  static Map<String, JsonNode> replayed(ScribeStore store, String klass) {
    Map<String, JsonNode> byId = new TreeMap<>();
    for (Scribe scribe : store.range(0, store.lastSequence())) {
      if (!scribe.klass().equals(klass)) {
        continue;
      }
      if (scribe.type() == ScribeType.CREATE) {
        byId.put(scribe.data().path("id").asText(), scribe.data().deepCopy());
      } else if (scribe.type() == ScribeType.UPDATE) {
        ObjectNode object = (ObjectNode) byId.get(scribe.data().path(0).asText());
        if (object != null) {
          object.setAll((ObjectNode) scribe.data().path(1));
        }
      } else {
        byId.remove(scribe.data().path(0).asText());
      }
    }
    return byId;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
