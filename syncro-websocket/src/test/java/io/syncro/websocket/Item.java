package io.syncro.websocket;

import io.syncro.Syncable;

/** A synced model for the transport's tests. */
@Syncable
public class Item {
  String id;
  String text;

  public Item() {}

  Item(String id, String text) {
    this.id = id;
    this.text = text;
  }
}
