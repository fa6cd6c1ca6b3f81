package io.syncro.benchmarks;

import io.syncro.Syncable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A typical synced object: a few strings, a number, a time, a list. */
@Syncable
public class Item {
  public String id;
  public String title;
  public String owner;
  public int quantity;
  public double price;
  public Instant updatedAt;
  public List<String> tags = new ArrayList<>();

  public Item() {}

  /** The n-th item of a benchmark's data. */
  public static Item number(int n) {
    Item item = new Item();
    item.id = "item-" + n;
    item.title = "Item number " + n + " with a title of ordinary length";
    item.owner = "user-" + (n % 100);
    item.quantity = n % 17;
    item.price = n * 0.25;
    item.updatedAt = Instant.ofEpochSecond(1_700_000_000L + n);
    item.tags = new ArrayList<>(List.of("tag-" + (n % 5), "tag-" + (n % 7)));
    return item;
  }
}
