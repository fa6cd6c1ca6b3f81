package io.syncro.benchmarks;

import io.syncro.runtime.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Items in a plain map, stored as given (no copies): a repository that costs next to nothing,
 * so that a benchmark measures Syncro rather than its storage. Thread-safe.
 */
class ItemMap implements Repository<Item, String> {
  private final Map<String, Item> items = new ConcurrentHashMap<>();

  @Override
  public Optional<Item> find(String id) {
    return Optional.ofNullable(items.get(id));
  }

  @Override
  public List<Item> findAll() {
    return new ArrayList<>(items.values());
  }

  @Override
  public void put(Item item) {
    items.put(item.id, item);
  }

  @Override
  public Optional<Item> remove(String id) {
    return Optional.ofNullable(items.remove(id));
  }
}
