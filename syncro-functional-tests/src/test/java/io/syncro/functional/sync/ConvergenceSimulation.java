package io.syncro.functional.sync;

import static org.awaitility.Awaitility.await;

import io.syncro.runtime.FieldMerge;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.ScribeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One seeded run of a server and a few clients editing the same memos: random creates, edits of
 * either field, destroys, disconnects and reconnects, client restarts from their FileStore; then
 * everyone reconnects, the traffic stops, and every node must hold the same memos. Everything
 * random comes from the seed, so a failing seed replays the same steps (thread timing aside,
 * which the merge must not depend on).
 */
final class ConvergenceSimulation implements AutoCloseable {
  static final int CLIENTS = 3;
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final long seed;
  private final Random random;
  private final Path dir;
  private final Syncro server;
  private final Syncro[] clients = new Syncro[CLIENTS];
  private final ScribeStore[] stores = new ScribeStore[CLIENTS];
  private final Link[] links = new Link[CLIENTS];
  private final List<String> steps = new ArrayList<>();

  ConvergenceSimulation(long seed, Path dir) throws IOException {
    this.seed = seed;
    this.random = new Random(seed);
    this.dir = dir;
    this.server = withModels(Syncro.builder()).nodeUid("server").build();
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = client(i);
    }
  }

  private Syncro client(int i) throws IOException {
    Path store = dir.resolve("client-" + i);
    Files.createDirectories(store);
    ScribeStore files = FileStore.open(store, FileStore.Durability.OPERATING_SYSTEM);
    stores[i] = files;
    return withModels(Syncro.builder().store(files)).trust("server")
        .nodeUid("client-" + i).build();
  }

  /** Memos (the latest change of a field wins) and boards (tags and high merge). */
  static Syncro.Builder withModels(Syncro.Builder builder) {
    return builder.model(Memo.class).model(Board.class)
        .merge(Board.class, "tags", FieldMerge.union())
        .merge(Board.class, "high", FieldMerge.max());
  }

  /** Runs {@code steps} random steps, then reconnects everyone and waits until they agree. */
  void run(int stepCount) throws Exception {
    for (int i = 0; i < CLIENTS; i++) {
      connect(i);
    }
    for (int step = 0; step < stepCount; step++) {
      step();
    }
    for (int i = 0; i < CLIENTS; i++) {
      if (links[i] == null) {
        connect(i);
      }
    }
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(20))
        .until(this::allEqual);
  }

  private void step() throws Exception {
    int who = random.nextInt(CLIENTS + 1); // CLIENTS: the server
    Syncro node = who == CLIENTS ? server : clients[who];
    String name = who == CLIENTS ? "server" : "client-" + who;
    int action = random.nextInt(100);
    String id = "m" + random.nextInt(6);
    if (random.nextInt(4) == 0) {
      boardStep(node, name, action, "b" + random.nextInt(3));
      return;
    }
    if (action < 25) {
      Memo memo = new Memo(id, name + " created " + steps.size());
      steps.add(name + " saves new " + id);
      save(node, memo);
    } else if (action < 60) {
      Memo memo = memos(node).find(id).orElse(null);
      if (memo != null) {
        if (random.nextBoolean()) {
          memo.text = name + " edit " + steps.size();
          steps.add(name + " edits text of " + id);
        } else {
          memo.version = random.nextInt(1000);
          steps.add(name + " sets version of " + id + " to " + memo.version);
        }
        save(node, memo);
      }
    } else if (action < 72) {
      steps.add(name + " deletes " + id);
      memos(node).delete(id);
    } else if (action < 86 && who < CLIENTS) {
      if (links[who] != null) {
        steps.add(name + " goes offline");
        links[who].close();
        links[who] = null;
      } else {
        steps.add(name + " comes back");
        connect(who);
      }
    } else if (action < 90 && who < CLIENTS) {
      steps.add(name + " restarts");
      if (links[who] != null) {
        links[who].close();
        links[who] = null;
      }
      clients[who].close();
      stores[who].close();
      clients[who] = client(who);
      connect(who);
    } else if (action < 95 && who < CLIENTS && links[who] != null) {
      // A round trip: what the client sent before it has reached the server, so the next steps
      // run after those pushes instead of racing them.
      steps.add(name + " pings the server");
      links[who].second().ping().get(30, TimeUnit.SECONDS);
    }
  }

  private void boardStep(Syncro node, String name, int action, String id) {
    var boards = node.repository(Board.class, String.class);
    Board board = boards.find(id).orElse(null);
    if (action < 20 || board == null) {
      steps.add(name + " saves new board " + id);
      boards.save(new Board(id, name + " board " + steps.size()));
    } else if (action < 50) {
      String tag = "t" + random.nextInt(5);
      board.tags.add(tag);
      steps.add(name + " tags " + id + " " + tag);
      boards.save(board);
    } else if (action < 65) {
      board.tags.clear(); // a merged set does not shrink: the tags come back merged
      steps.add(name + " clears the tags of " + id);
      boards.save(board);
    } else if (action < 85) {
      board.high = random.nextInt(100);
      steps.add(name + " sets high of " + id + " to " + board.high);
      boards.save(board);
    } else {
      steps.add(name + " deletes board " + id);
      boards.delete(id);
    }
  }

  private static void save(Syncro node, Memo memo) {
    memos(node).save(memo);
  }

  private void connect(int i) throws Exception {
    Link link = new Pipe(server, "client-" + i, clients[i], "server");
    links[i] = link;
    var fromServer = link.first().sync();
    var fromClient = link.second().sync();
    fromServer.get(30, TimeUnit.SECONDS);
    fromClient.get(30, TimeUnit.SECONDS);
  }

  private static io.syncro.runtime.SyncedRepository<Memo, String> memos(Syncro node) {
    return node.repository(Memo.class, String.class);
  }

  private static Map<String, String> state(Syncro node) {
    Map<String, String> state = new TreeMap<>();
    memos(node).findAll().forEach(memo -> state.put(memo.id, memo.text + " v" + memo.version));
    node.repository(Board.class, String.class).findAll()
        .forEach(board -> state.put(board.id, board.toString()));
    return state;
  }

  boolean allEqual() {
    Map<String, String> expected = state(server);
    for (Syncro client : clients) {
      if (!state(client).equals(expected)) {
        return false;
      }
    }
    return true;
  }

  /** What a failure report needs: the seed to replay, the steps, and each node's memos. */
  String report() {
    StringBuilder report = new StringBuilder("seed ").append(seed)
        .append(" (replay: -Dsyncro.simulation.seed=").append(seed).append(")\n");
    steps.forEach(step -> report.append("  ").append(step).append('\n'));
    report.append("server   ").append(state(server)).append('\n');
    for (int i = 0; i < CLIENTS; i++) {
      report.append("client-").append(i).append(' ').append(state(clients[i])).append('\n');
    }
    return report.toString();
  }

  @Override
  public void close() {
    for (Link link : links) {
      if (link != null) {
        link.close();
      }
    }
    for (int i = 0; i < CLIENTS; i++) {
      clients[i].close();
      stores[i].close();
    }
    server.close();
  }
}
