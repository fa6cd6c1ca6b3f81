package io.syncro.runtime;

/** A synced class whose model was generated before contract versions (see SyncModelsTest). */
public class OldGenerated {
  String id;
}
