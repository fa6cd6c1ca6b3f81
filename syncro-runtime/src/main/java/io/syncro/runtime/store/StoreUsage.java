package io.syncro.runtime.store;

import java.time.Instant;

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
 * @param firstSequence the sequence of the oldest scribe kept ({@link ScribeStore#firstSequence()})
 * @param lastTrimmed when a trim last dropped history (and, for the file store, rewrote its log);
 *     null when none ever did
 */
public record StoreUsage(long scribes, long records, long tombstones, long bytes,
    long firstSequence, Instant lastTrimmed) {}
