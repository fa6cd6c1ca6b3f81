/**
 * Syncro over WebSocket: {@link io.syncro.websocket.SyncroWebSocketServer} serves a node's
 * WebSocket clients (browsers running {@code syncro.js}, or any peer in message mode).
 */
package io.syncro.websocket;
