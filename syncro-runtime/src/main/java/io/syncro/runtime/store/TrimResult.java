package io.syncro.runtime.store;

/**
 * What a trim of a store's history dropped ({@link ScribeStore#trim}).
 *
 * @param firstSequence the sequence of the oldest scribe kept now ({@link
 *     ScribeStore#firstSequence()})
 * @param scribesDropped how many scribes this trim dropped
 * @param tombstonesDropped how many tombstones (stamps of destroyed records) it dropped with them
 */
public record TrimResult(long firstSequence, long scribesDropped, long tombstonesDropped) {}
