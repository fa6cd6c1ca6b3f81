package io.syncro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.SyncModels;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The generated diff and replayer beside a reflection-based equivalent on the same object and
 * scribes: Jackson's {@code valueToTree} for the diff, {@code readerForUpdating} for the replay.
 * Both replay into the same plain map ({@link ItemMap}), so only the field code differs. Goal: at least 3x.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplayBenchmark {
  private SyncModel<Item, String> model;
  private Item before;
  private Item after;
  private Scribe[] updates;
  private ObjectNode[] changes;
  private int next;
  private final ItemMap repository = new ItemMap();

  @Setup
  public void setUp() {
    model = SyncModels.of(Item.class, String.class);
    before = Item.number(7);
    after = Item.number(7);
    after.title = "A new title";
    after.quantity = 99;
    after.tags.add("new");
    // Two updates that undo each other, so every replay changes something.
    Item other = Item.number(7);
    updates = new Scribe[] {
      model.recordUpdate(before, after).orElseThrow(), model.recordUpdate(after, other).orElseThrow()
    };
    changes = new ObjectNode[] {(ObjectNode) updates[0].data().get(1), (ObjectNode) updates[1].data().get(1)};
    repository.put(Item.number(7));
  }

  @Benchmark
  public Optional<Scribe> generatedDiff() {
    return model.recordUpdate(before, after);
  }

  @Benchmark
  public ObjectNode reflectionDiff() {
    JsonNode was = Json.valueToTree(before);
    JsonNode is = Json.valueToTree(after);
    ObjectNode changed = Json.NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = is.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().equals(was.get(field.getKey()))) {
        changed.set(field.getKey(), field.getValue());
      }
    }
    return changed;
  }

  @Benchmark
  public Optional<Scribe> generatedReplay() {
    return model.syncPlay(updates[next++ & 1], repository);
  }

  @Benchmark
  public Item reflectionReplay() throws IOException {
    ObjectNode update = changes[next++ & 1];
    Item target = repository.find("item-7").orElseThrow();
    ObjectReader reader = Json.readerForUpdating(target);
    Item updated = reader.readValue(update);
    repository.put(updated);
    return updated;
  }
}
