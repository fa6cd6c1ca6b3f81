package io.syncro.runtime.store;

/**
 * An object's JSON and its record's merge history, read together
 * ({@link ScribeStore#objectWithHistory}).
 *
 * @param json the object's JSON; null when the object is not stored
 * @param history the history's JSON; null when none is stored
 */
public record StoredRecord(String json, String history) {}
