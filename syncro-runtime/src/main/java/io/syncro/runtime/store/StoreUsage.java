package io.syncro.runtime.store;

/**
 * How much a store keeps ({@link ScribeStore#usage()}): what to watch to see a node's history
 * grow.
 *
 * @param scribes the scribes in the log
 * @param records the application's records, of every synced class
 * @param tombstones records destroyed whose merge history is kept, so that a change that arrives
 *     late cannot bring them back
 * @param bytes what the store takes: the log's size on disk, Redis' memory for its keys; -1 when
 *     the store cannot tell (the memory store)
 */
public record StoreUsage(long scribes, long records, long tombstones, long bytes) {}
