package io.syncro.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * How durable stores write a scribe: its wire form (without its id, which the store keys it by)
 * plus what the wire leaves out, {@code {"scribe":{...},"to":[uids] or null,"from":uid or null}},
 * and for a change of recipients {@code "former":[uids] or null,"share":{...} or absent,
 * "record":id}.
 */
final class StoredScribes {
  private StoredScribes() {}

  static ObjectNode encode(Scribe scribe) {
    ObjectNode record = Json.NODES.objectNode();
    record.set("scribe", wire(scribe));
    record.set("to", uids(scribe.recipients()));
    record.put("from", scribe.origin().orElse(null));
    scribe.accessChange().ifPresent(change -> {
      record.set("former", uids(change.formerRecipients()));
      change.shared().ifPresent(share -> record.set("share", wire(share)));
      record.set("record", change.recordId());
    });
    return record;
  }

  /** The scribe's wire form without its id (which the store keys it by), as a tree. */
  private static ObjectNode wire(Scribe scribe) {
    ObjectNode wire = Json.NODES.objectNode();
    wire.put("klass", scribe.klass());
    wire.put("type", scribe.type().wireName());
    // Raw: the data's text is written once per scribe (Scribe.dataJson), not again from its tree.
    wire.set("data", Json.NODES.rawValueNode(new RawValue(scribe.dataJson())));
    scribe.stamp().ifPresent(stamp -> wire.put("stamp", stamp.toString()));
    if (!scribe.fieldStamps().isEmpty()) {
      ObjectNode stamps = wire.putObject("stamps");
      new TreeMap<>(scribe.fieldStamps()).forEach((field, stamp) -> stamps.put(field, stamp.toString()));
    }
    if (scribe.isRemoval()) {
      wire.put("removal", true);
    }
    return wire;
  }

  private static JsonNode uids(Recipients recipients) {
    if (recipients.isEveryone()) {
      return Json.NODES.nullNode();
    }
    ArrayNode to = Json.NODES.arrayNode();
    recipients.uids().forEach(to::add);
    return to;
  }

  static Scribe decode(JsonNode record, String id) {
    Scribe.Builder scribe = Scribe.fromTree(record.get("scribe")).toBuilder()
        .id(id)
        .recipients(recipients(record.get("to")))
        .origin(origin(record));
    if (record.has("former")) {
      JsonNode share = record.get("share");
      scribe.accessChange(new Scribe.AccessChange(recipients(record.get("former")),
          share == null ? null : Scribe.fromTree(share), record.get("record")));
    }
    return scribe.build();
  }

  /** Everyone a stored scribe is for: its recipients and, for a change of them, the former. */
  static Recipients audience(JsonNode record) {
    Recipients to = recipients(record.get("to"));
    return record.has("former") ? to.union(recipients(record.get("former"))) : to;
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
