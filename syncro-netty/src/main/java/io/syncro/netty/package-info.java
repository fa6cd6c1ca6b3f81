/**
 * Syncro over TCP with Netty: {@link io.syncro.netty.SyncroServer} takes a node's clients,
 * {@link io.syncro.netty.SyncroClient} keeps a node connected to its server, and
 * {@link io.syncro.netty.SyncroChannels} gives the handler for a pipeline of the application's
 * own.
 */
package io.syncro.netty;
