package io.syncro.examples;

import io.syncro.runtime.InMemoryRepository;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.ScribeRecorder;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.SyncModels;
import io.syncro.runtime.SyncedRepository;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Records changes to notes on one node and replays them on another, printing each scribe as it
 * travels in its wire form. Node A's scribes are carried as JSON text, the way a transport
 * would carry them.
 */
public final class RecordReplayDemo {
  private final PrintStream out;

  RecordReplayDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    if (!new RecordReplayDemo(System.out).run()) {
      // Thrown rather than System.exit(1), so that "mvn exec:java" reports a failed build.
      throw new IllegalStateException("the nodes differ after replay");
    }
  }

  /** Runs the walkthrough; true when both nodes end up holding the same notes. */
  boolean run() {
    SyncModel<Note, String> model = SyncModels.of(Note.class, String.class);
    List<String> wire = new ArrayList<>();
    SyncedRepository<Note, String> nodeA =
        new SyncedRepository<>(model, new InMemoryRepository<>(model), ScribeRecorder.to(s -> wire.add(s.toJson())));
    SyncedRepository<Note, String> nodeB =
        new SyncedRepository<>(model, new InMemoryRepository<>(model), ScribeRecorder.to(s -> { }));

    out.println("== Node A records changes ==");
    Note groceries = new Note("n1", "Groceries", "alice");
    groceries.tags().add("home");
    nodeA.save(groceries);
    nodeA.save(new Note("n2", "Call Bob", "alice"));
    groceries.rename("Groceries for Sunday");
    groceries.tags().add("weekend");
    nodeA.save(groceries);
    nodeA.delete("n2");
    nodeA.save(groceries); // nothing changed: no scribe
    wire.forEach(json -> out.println("A -> " + json));

    out.println();
    out.println("== Node B replays them ==");
    for (String json : wire) {
      Scribe scribe = Scribe.fromJson(json);
      boolean applied = nodeB.replay(scribe.toBuilder().origin("node-a").build()).isPresent();
      out.println("B <- " + scribe.type().wireName() + (applied ? " applied" : " skipped"));
    }
    out.println("B replays the first scribe again: "
        + (nodeB.replay(Scribe.fromJson(wire.get(0))).isPresent() ? "applied" : "skipped"));

    out.println();
    out.println("== What each node holds ==");
    nodeA.findAll().forEach(note -> out.println("A: " + note));
    nodeB.findAll().forEach(note -> out.println("B: " + note));
    boolean equal = nodeA.findAll().equals(nodeB.findAll());
    out.println(equal ? "A and B are equal." : "A and B DIFFER.");
    return equal;
  }
}
