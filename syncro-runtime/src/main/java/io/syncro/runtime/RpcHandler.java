package io.syncro.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A method a node exposes to its peers by class and method name, as the original's RPC does.
 * Register handlers with {@link Syncro.Builder#rpc}.
 */
@FunctionalInterface
public interface RpcHandler {

  /**
   * Answers one call. The result is converted to JSON with Jackson; throwing answers the caller
   * with error code 0.
   *
   * @param callerUid the uid of the client that called, as its session knows it
   * @param args the call's arguments, a JSON array
   */
  Object call(String callerUid, JsonNode args);
}
