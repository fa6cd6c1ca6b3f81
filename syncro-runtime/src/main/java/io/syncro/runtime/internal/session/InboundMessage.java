package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.ErrorCode;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import java.io.IOException;

/**
 * One message from the peer, read and checked for shape: the session's parts get typed values,
 * never raw JSON to probe. {@link #parse} never throws: what cannot be handled at all becomes
 * {@link Ignored}, a request of a known type but a wrong shape becomes {@link Malformed} (it is
 * answered with an error, as it has an id).
 */
public sealed interface InboundMessage {

  /** Reads one message's JSON text. */
  static InboundMessage parse(String text) {
    JsonNode message;
    try {
      message = Json.readTree(text);
    } catch (JsonProcessingException e) {
      return new Ignored("that is not JSON: " + e.getOriginalMessage());
    }
    return of(message);
  }

  /**
   * Reads one frame's payload, UTF-8, straight from its bytes: a large catch-up spends more on
   * reading its pages than on anything else, and decoding them to text first costs a third more.
   * Bytes that are not UTF-8 are read as the text they decode to, as {@link #parse(String)} does.
   */
  static InboundMessage parse(byte[] payload) {
    JsonNode message;
    try {
      message = Json.readTree(payload);
    } catch (IOException e) {
      return parse(Messages.text(payload));
    }
    return of(message);
  }

  private static InboundMessage of(JsonNode message) {
    if (message == null || !message.isObject()) {
      return new Ignored("that is not a JSON object");
    }
    JsonNode typeNode = message.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      return new Ignored("without a type");
    }
    String type = typeNode.textValue();
    if (type.equals("response")) {
      JsonNode id = message.get("id");
      return new Response(id != null && id.canConvertToLong() ? id.longValue() : null, message);
    }
    if (type.equals("error")) {
      JsonNode id = message.get("id");
      JsonNode text2 = message.get("message");
      return new Error(id != null && id.canConvertToLong() ? id.longValue() : null,
          message.path("code").asInt(ErrorCode.OTHER.wireCode()),
          text2 != null && text2.isTextual() ? text2.textValue() : null);
    }
    JsonNode idNode = message.get("id");
    if (idNode == null || !idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
      return new Ignored("a " + type + " request without a numeric id");
    }
    return request(type, idNode.longValue(), message);
  }

  private static InboundMessage request(String type, long id, JsonNode message) {
    switch (type) {
      case "sync": {
        JsonNode from = message.get("from");
        boolean paged = message.path("page").asBoolean(false);
        boolean snapshot = paged && message.path("snapshot").asBoolean(false);
        if (from == null || from.isNull()) {
          return new Sync(id, null, paged, snapshot);
        }
        if (!from.isTextual() && !from.isNumber()) {
          return new Malformed(type, id, "sync from must be a scribe id or null");
        }
        String cursor = from.asText();
        return new Sync(id, cursor.isEmpty() ? null : cursor, paged, snapshot && cursor.isEmpty());
      }
      case "add_scribe": {
        JsonNode scribe = message.get("scribe");
        return scribe != null && scribe.isObject()
            ? new AddScribe(id, (ObjectNode) scribe)
            : new Malformed(type, id, "add_scribe needs a scribe object");
      }
      case "rpc": {
        JsonNode klass = message.get("klass");
        JsonNode method = message.get("method");
        JsonNode args = message.get("args");
        if (klass == null || !klass.isTextual() || method == null || !method.isTextual()
            || (args != null && !args.isArray())) {
          return new Malformed(type, id, "rpc needs klass, method and an args array");
        }
        return new Rpc(id, klass.textValue(), method.textValue(),
            args == null ? Json.NODES.arrayNode() : (ArrayNode) args);
      }
      case "noop":
        return new Noop(id);
      case "auth": {
        JsonNode token = message.get("token");
        return new Auth(id, token != null && token.isTextual() ? token.textValue() : null);
      }
      default:
        return new Unknown(type, id);
    }
  }

  /** A message that asks for an answer, by its id. */
  sealed interface Request extends InboundMessage {
    long id();

    /** The message's {@code type}. */
    String type();
  }

  /**
   * A sync request: the scribes after {@code from} (null: from the start), paged or not; with
   * {@code snapshot} (paged, from the start), a snapshot of the answerer's records first.
   */
  record Sync(long id, String from, boolean paged, boolean snapshot) implements Request {
    /** A sync that asks for no snapshot. */
    Sync(long id, String from, boolean paged) {
      this(id, from, paged, false);
    }

    @Override
    public String type() {
      return "sync";
    }
  }

  /** A scribe the peer pushes or streams. */
  record AddScribe(long id, ObjectNode scribe) implements Request {
    @Override
    public String type() {
      return "add_scribe";
    }
  }

  /** A call of a method this node exposes. */
  record Rpc(long id, String klass, String method, ArrayNode args) implements Request {
    @Override
    public String type() {
      return "rpc";
    }
  }

  /** A ping. */
  record Noop(long id) implements Request {
    @Override
    public String type() {
      return "noop";
    }
  }

  /** An authentication; {@code token} is null when the peer sent no string. */
  record Auth(long id, String token) implements Request {
    @Override
    public String type() {
      return "auth";
    }
  }

  /** A request of a known type whose shape is wrong: answered with an error. */
  record Malformed(String type, long id, String problem) implements Request {}

  /** A request of a type this node does not know: ignored, as the original does. */
  record Unknown(String type, long id) implements Request {}

  /** The answer to one of this node's requests; {@code id} is null when it has none. */
  record Response(Long id, JsonNode message) implements InboundMessage {
    public JsonNode result() {
      return message.get("result");
    }
  }

  /** A refusal of one of this node's requests; with no id, it answers the oldest. */
  record Error(Long id, int code, String message) implements InboundMessage {}

  /** What cannot be answered or used at all: logged and dropped. */
  record Ignored(String why) implements InboundMessage {}
}
