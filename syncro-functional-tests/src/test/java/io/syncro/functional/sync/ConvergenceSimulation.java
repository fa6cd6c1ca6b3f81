package io.syncro.functional.sync;

import static org.awaitility.Awaitility.await;

import io.syncro.ScribeType;
import io.syncro.runtime.FieldMerge;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.runtime.store.Retention;
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
 * either field, destroys, disconnects and reconnects, client restarts from their FileStore, and
 * docs shared with and taken from readers; then everyone reconnects, the traffic stops, and every
 * node must hold the same memos and boards, and each client exactly the docs it may see, as the
 * server holds them. A client whose new doc's id the server holds for a doc the client may not
 * see is told so, and gives its doc a new id, as an application would, or (one of them) keeps
 * it to itself. Everything random comes from the seed, so a failing seed replays the same
 * steps (thread timing aside, which the merge must not depend on).
 */
final class ConvergenceSimulation implements AutoCloseable {
  static final int CLIENTS = 3;
  private static final Duration SETTLE = Duration.ofSeconds(30);
  /**
   * What every node keeps of its history when a step trims it: little, so that peers that were
   * away come back behind it and catch up from snapshots.
   */
  private static final Retention RETENTION = Retention.forever().maxScribes(3);
  /**
   * Whether nodes trim their history as a step: yes unless {@code -Dsyncro.simulation.trims=false}
   * (to tell a trim's part in a failure from the rest). Failures depend on thread timing: a seed
   * that failed once may pass on replay, and {@code -Dsyncro.simulation.repeat=R} replays it R
   * times. Found and fixed on 2026-11-29, each failing within 150 replays before and none in 600
   * after: a snapshot that began between the scribes of one change (seed 1238, see
   * {@code Recording.settledSequence}); a client's own addition to a merged field lost when a
   * snapshot replaced its records (seed 1984, see {@code RecordHistory.forgetAllBut}); a late
   * taken notice that made a client give up a newer record the server had taken (seed 1271, none
   * in 400 after; the notice is stamped now). Known to fail now and then, about once in 4,000
   * runs, all from the server's dropping a tombstone while a change it lost to is still on its
   * way: a client's create concurrent with the server's destroy of the same id, arriving after
   * the server trimmed that destroy's tombstone, is taken by the server while the client keeps
   * the record destroyed (seeds 1439, 20317, 3353, 3600); a change that lost to a destroy, kept
   * in its tombstone, is gone on the server once the tombstone is trimmed, while clients that
   * got it keep it when the record is created again (seed 880, as its report reads). Fixed the
   * same day, failing at runs 6 and 2 of 300 before and in none of 600 after: a loop (seed 3503)
   * where a client's create was refused as taken, the notice never reached it, the server's
   * record was then shared with it and merged into its own; each time the client passed the
   * record on whole the server refused it and answered with a removal and the record whole,
   * which the client's kept edit, stamped later, won over, and it passed the record on again
   * (see {@code SyncedRepository.restoreOnce} and {@code tellNewcomersTheIdIsTaken}).
   */
  static final boolean TRIMS =
      Boolean.parseBoolean(System.getProperty("syncro.simulation.trims", "true"));

  private final long seed;
  private final Random random;
  private final Path dir;
  private final Syncro server;
  private final Syncro[] clients = new Syncro[CLIENTS];
  private final ScribeStore[] stores = new ScribeStore[CLIENTS];
  private final Link[] links = new Link[CLIENTS];
  private final List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());
  /** How many docs each client gave a new id, for the next new id's name. */
  private final java.util.concurrent.atomic.AtomicInteger rekeyed =
      new java.util.concurrent.atomic.AtomicInteger();
  /** The client that keeps docs whose ids are taken to itself, instead of giving new ids. */
  private static final int KEEPS_TAKEN_IDS = 0;
  /** The ids of docs that client kept to itself. */
  private final java.util.Set<String> keptTaken = java.util.concurrent.ConcurrentHashMap.newKeySet();

  ConvergenceSimulation(long seed, Path dir) throws IOException {
    this.seed = seed;
    this.random = new Random(seed);
    this.dir = dir;
    this.server = serverModels(Syncro.builder()).nodeUid("server").retention(RETENTION)
        .trimInterval(Duration.ZERO).build();
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = client(i);
    }
  }

  private Syncro client(int i) throws IOException {
    Path store = dir.resolve("client-" + i);
    Files.createDirectories(store);
    ScribeStore files = FileStore.open(store, FileStore.Durability.OPERATING_SYSTEM);
    stores[i] = files;
    Syncro client = withModels(Syncro.builder().store(files)).trust("server")
        .nodeUid("client-" + i).retention(RETENTION).trimInterval(Duration.ZERO).build();
    // A doc whose id the server holds for a doc this client may not see: the first client keeps
    // it to itself (it stays there only, until the server shares its own doc of that id, which
    // then takes its place); the others give it a new id, as an application would, and it syncs.
    var docs = client.repository(Doc.class, String.class);
    docs.onIdConflict(conflict -> conflict.ours().ifPresent(own -> {
      if (i == KEEPS_TAKEN_IDS) {
        steps.add("client-" + i + " is told " + own.id + " is taken, and keeps its doc to itself");
        keptTaken.add(own.id);
        return;
      }
      String newId = own.id + "-" + rekeyed.incrementAndGet();
      steps.add("client-" + i + " is told " + own.id + " is taken, and gives its doc the id " + newId);
      docs.rekey(own.id, new Doc(newId, own.text, own.owner, own.readers));
    }));
    return client;
  }

  /**
   * Memos (the latest change of a field wins), boards (tags and high merge) and docs (seen by
   * their owner and readers).
   */
  static Syncro.Builder withModels(Syncro.Builder builder) {
    return builder.model(Memo.class).model(Board.class).model(Doc.class)
        .merge(Board.class, "tags", FieldMerge.union())
        .merge(Board.class, "high", FieldMerge.max());
  }

  /** The server: as {@link #withModels}, and only a doc's owner shares, takes back or deletes it. */
  private static Syncro.Builder serverModels(Syncro.Builder builder) {
    return withModels(builder)
        .authorizer(Doc.class, change -> change.current() == null
            ? change.proposed().owner.equals(change.client())
            : change.current().owner.equals(change.client())
                || change.type() == ScribeType.UPDATE && !change.changes("readers")
                    && !change.changes("owner"));
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
    int model = random.nextInt(8);
    if (model < 2) {
      boardStep(node, name, action, "b" + random.nextInt(3));
      return;
    }
    if (model < 4) {
      docStep(node, name, action, "d" + random.nextInt(4));
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
    } else if (action >= 95 && TRIMS) {
      steps.add(name + " trims its history");
      node.trimHistory();
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

  private void docStep(Syncro node, String name, int action, String id) {
    var docs = node.repository(Doc.class, String.class);
    Doc doc = docs.find(id).orElse(null);
    if (doc == null) {
      if (action < 60) {
        Doc created = new Doc(id, name + " doc " + steps.size(), name, someReaders(name));
        steps.add(name + " saves new doc " + id + " for " + created.readers);
        docs.save(created);
      }
    } else if (action < 50) {
      doc.text = name + " edit " + steps.size();
      steps.add(name + " edits doc " + id);
      docs.save(doc);
    } else if (action < 85) {
      // Only its owner (or the server) may; a reader's try is refused and put right.
      doc.readers = new java.util.TreeSet<>(someReaders(doc.owner));
      steps.add(name + " shares doc " + id + " with " + doc.readers);
      docs.save(doc);
    } else {
      steps.add(name + " deletes doc " + id);
      docs.delete(id);
    }
  }

  private java.util.Set<String> someReaders(String owner) {
    java.util.Set<String> readers = new java.util.TreeSet<>();
    for (int i = 0; i < CLIENTS; i++) {
      if (random.nextInt(3) == 0 && !owner.equals("client-" + i)) {
        readers.add("client-" + i);
      }
    }
    return readers;
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

  /** What a node holds, docs only those {@code viewer} may see (null: all of them). */
  private static Map<String, String> state(Syncro node, String viewer) {
    Map<String, String> state = new TreeMap<>();
    memos(node).findAll().forEach(memo -> state.put(memo.id, memo.text + " v" + memo.version));
    node.repository(Board.class, String.class).findAll()
        .forEach(board -> state.put(board.id, board.toString()));
    node.repository(Doc.class, String.class).findAll().stream()
        .filter(doc -> viewer == null || doc.visibleTo(viewer))
        .forEach(doc -> state.put(doc.id, doc.toString()));
    return state;
  }

  /**
   * Every client holds what the server holds, and of the docs exactly those it may see; the
   * client that keeps docs of taken ids to itself may also hold its own such docs, under ids the
   * server does not show it.
   */
  boolean allEqual() {
    for (int i = 0; i < CLIENTS; i++) {
      Map<String, String> expected = state(server, "client-" + i);
      Map<String, String> held = state(clients[i], null);
      if (i == KEEPS_TAKEN_IDS) {
        // Its own: created on it, whoever its owner field names. A reader that saves a doc just
        // as the server takes it away (its find before the removal, its save after) creates it
        // anew, and is told the id is taken like any other creator (seed 416).
        clients[i].repository(Doc.class, String.class).findAll().stream()
            .filter(doc -> keptTaken.contains(doc.id) && !expected.containsKey(doc.id))
            .forEach(doc -> held.remove(doc.id));
      }
      if (!held.equals(expected)) {
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
    report.append("server   ").append(state(server, null)).append('\n');
    for (int i = 0; i < CLIENTS; i++) {
      report.append("client-").append(i).append(' ').append(state(clients[i], null))
          .append("\n  expected ").append(state(server, "client-" + i)).append('\n');
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
