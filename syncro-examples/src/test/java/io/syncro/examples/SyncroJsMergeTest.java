package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Stamp;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.LastWriterWins;
import io.syncro.runtime.internal.RecordHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The browser client merges changes by the same rules as a Java node: the same random stamped
 * changes of one record, in the same order, leave the same values and the same history in
 * {@code syncro.js} (run by Node.js) as in {@code LastWriterWins}, removals included (what a
 * client keeps of a record it may no longer see).
 */
class SyncroJsMergeTest {
  private static final Path SCRIPTS = Path.of("src/test/browser");
  private static final int RUNS = 500;

  @Test
  void syncroJsEndsWhereJavaEndsForTheSameChanges() throws Exception {
    Random random = new Random(20261128);
    ArrayNode runs = Json.NODES.arrayNode();
    List<JsonNode> expected = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      ArrayNode changes = runs.addArray();
      RecordHistory history = new RecordHistory();
      ObjectNode values = null;
      for (int i = 0, n = 1 + random.nextInt(10); i < n; i++) {
        if (random.nextInt(8) == 0) {
          // Alice, who replays, may no longer see the record: she keeps her own edits alone.
          changes.addObject().put("type", "removal");
          history.forgetAllBut("alice", values, java.util.Set.of());
          values = null;
          continue;
        }
        ScribeType type = ScribeType.values()[random.nextInt(3)];
        ObjectNode fields = Json.NODES.objectNode();
        if (type == ScribeType.CREATE) {
          fields.put("id", "r");
        }
        if (type != ScribeType.DESTROY) {
          for (String name : List.of("title", "owner")) {
            if (random.nextBoolean()) {
              fields.put(name, name + random.nextInt(3));
            }
          }
        }
        Stamp stamp = new Stamp(1 + random.nextInt(4), random.nextInt(2),
            List.of("alice", "bob", "server").get(random.nextInt(3)));
        changes.addObject().put("type", type.wireName()).put("stamp", stamp.toString())
            .set("fields", fields);
        LastWriterWins.Effect effect =
            LastWriterWins.apply(history, type, fields, stamp, values, "id");
        if (effect.type() == ScribeType.CREATE) {
          values = effect.fields().deepCopy().put("id", "r");
        } else if (effect.type() == ScribeType.UPDATE) {
          values.setAll(effect.fields());
        } else if (effect.type() == ScribeType.DESTROY) {
          values = null;
        }
      }
      ObjectNode result = Json.NODES.objectNode();
      result.set("values", values == null ? Json.NODES.nullNode() : values);
      result.set("history", history.toJson());
      expected.add(result);
    }

    Process node = new ProcessBuilder("node", "merge-replay.mjs").directory(SCRIPTS.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    node.getOutputStream().write(runs.toString().getBytes(StandardCharsets.UTF_8));
    node.getOutputStream().close();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();

    JsonNode actual = Json.readTree(output);
    for (int run = 0; run < RUNS; run++) {
      assertThat(actual.get(run)).as("run %d: %s", run, runs.get(run)).isEqualTo(expected.get(run));
    }
  }
}
