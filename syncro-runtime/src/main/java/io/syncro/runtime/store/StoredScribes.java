package io.syncro.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * How durable stores write a scribe: its wire form (without its id, which the store keys it by)
 * plus what the wire leaves out, {@code {"scribe":{...},"to":[uids] or null,"from":uid or null}}.
 */
final class StoredScribes {
  private StoredScribes() {}

  static ObjectNode encode(Scribe scribe) {
    ObjectNode wire = Json.NODES.objectNode();
    wire.put("klass", scribe.klass());
    wire.put("type", scribe.type().wireName());
    wire.set("data", scribe.data());
    scribe.stamp().ifPresent(stamp -> wire.put("stamp", stamp.toString()));
    ObjectNode record = Json.NODES.objectNode();
    record.set("scribe", wire);
    if (scribe.recipients().isEveryone()) {
      record.putNull("to");
    } else {
      ArrayNode to = record.putArray("to");
      scribe.recipients().uids().forEach(to::add);
    }
    record.put("from", scribe.origin().orElse(null));
    return record;
  }

  static Scribe decode(JsonNode record, String id) {
    return Scribe.fromTree(record.get("scribe")).toBuilder()
        .id(id)
        .recipients(recipients(record.get("to")))
        .origin(origin(record))
        .build();
  }

  static String origin(JsonNode record) {
    JsonNode from = record.get("from");
    return from == null || from.isNull() ? null : from.textValue();
  }

  static Recipients recipients(JsonNode to) {
    if (to == null || to.isNull()) {
      return Recipients.everyone();
    }
    List<String> uids = new ArrayList<>(to.size());
    to.forEach(uid -> uids.add(uid.textValue()));
    return Recipients.of(uids);
  }
}
