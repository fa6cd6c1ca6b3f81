package io.syncro.examples;

import io.syncro.netty.SyncroClient;
import io.syncro.netty.SyncroServer;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's main job: a server and two clients (a laptop and a phone) keep notes in step over
 * loopback TCP ({@link SyncroServer} and {@link SyncroClient}, with tokens), each node on its
 * own {@link FileStore} in a data directory. The phone goes offline, everyone makes changes, the
 * phone restarts from its files and comes back, and both sides catch up. Prints what each node
 * holds at each step, and whether they are equal at the end.
 */
public final class SyncDemo implements AutoCloseable {
  private final PrintStream out;
  private final Path data;
  private final Tokens tokens = new Tokens(Map.of("laptop", Tokens.newToken(), "phone", Tokens.newToken()));
  private final Syncro server;
  private final Syncro laptop;
  private Syncro phone;
  /** Each node's store, which the demo opened and so closes after the node. */
  private final Map<Syncro, FileStore> stores = new IdentityHashMap<>();
  private final SyncroServer listening;
  private SyncroClient laptopConnection;
  private SyncroClient phoneConnection;

  /** @param data where the nodes keep their stores, one subdirectory each */
  SyncDemo(PrintStream out, Path data) {
    this.out = out;
    this.data = data;
    this.server = node("server", Syncro.builder().authenticator(tokens::uidOf));
    this.laptop = node("laptop", Syncro.builder().trust("server"));
    this.phone = node("phone", Syncro.builder().trust("server"));
    this.listening = SyncroServer.builder(server).start();
  }

  /** A node whose scribes, cursors and notes live in {@code data/name}. */
  private Syncro node(String name, Syncro.Builder builder) {
    FileStore store = FileStore.open(data.resolve(name), FileStore.Durability.OPERATING_SYSTEM);
    Syncro node = builder.nodeUid(name).store(store).model(Note.class).build();
    stores.put(node, store);
    return node;
  }

  /** Runs the walkthrough in the directory given as the first argument, or in a fresh one. */
  public static void main(String[] args) throws Exception {
    Path data = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("syncro-demo");
    try (SyncDemo demo = new SyncDemo(System.out, data)) {
      if (!demo.run()) {
        // Thrown rather than System.exit(1), so that "mvn exec:java" reports a failed build.
        throw new IllegalStateException("the nodes differ after syncing");
      }
    }
  }

  /** A client's side: connect with its token, sync; returns once caught up both ways. */
  private SyncroClient connect(Syncro client, String uid) throws Exception {
    SyncroClient connection = SyncroClient.builder(client)
        .server("127.0.0.1", listening.port())
        .token(tokens.tokenOf(uid).orElseThrow())
        .start();
    connection.firstSync().get(30, TimeUnit.SECONDS);
    return connection;
  }

  /**
   * Waits until everything sent so far on these connections has been handled at the other end:
   * a peer answers in order, so a ping's answer comes after every earlier message's effects.
   */
  private static void settle(SyncroClient... connections) throws Exception {
    for (SyncroClient connection : connections) {
      Session session = connection.session().orElseThrow();
      session.ping().get(30, TimeUnit.SECONDS);
    }
  }

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  boolean run() throws Exception {
    out.println("== The laptop and the phone connect to the server on 127.0.0.1:"
        + listening.port() + ", each with its token ==");
    laptopConnection = connect(laptop, "laptop");
    phoneConnection = connect(phone, "phone");

    out.println("The laptop adds two notes; the phone gets them live:");
    Note groceries = new Note("n1", "Groceries", "alice");
    groceries.tags().add("home");
    notes(laptop).save(groceries);
    notes(laptop).save(new Note("n2", "Call Bob", "alice"));
    settle(laptopConnection, phoneConnection);
    show("phone", phone);

    out.println();
    out.println("== The phone goes offline ==");
    phoneConnection.close();
    out.println("The laptop renames n1 and deletes n2; the server adds n3. The phone, offline,"
        + " adds n4, and sees none of the others' changes:");
    groceries.rename("Groceries for Sunday");
    groceries.tags().add("weekend");
    notes(laptop).save(groceries);
    notes(laptop).delete("n2");
    notes(server).save(new Note("n3", "Team meeting", "bob"));
    notes(phone).save(new Note("n4", "Buy stamps", "alice"));
    show("phone", phone);

    out.println();
    out.println("== The phone restarts: a new node on the same files ==");
    closeStore(phone);
    phone = node("phone", Syncro.builder().trust("server"));
    out.println("It still holds what it had, n4 included, and its cursor: the id of the last"
        + " scribe it applied from the server, so that it asks only for what came after:");
    show("phone", phone);
    phone.clients().forEach(client -> out.println("  phone: cursor for " + client.uid()
        + " = scribe " + client.cursor()));

    out.println();
    out.println("== The phone comes back and catches up both ways, from one sync ==");
    phoneConnection = connect(phone, "phone");
    settle(phoneConnection, laptopConnection);
    out.println("Down to the phone came the rename, the delete and n3:");
    show("phone", phone);
    out.println("Up to the server, and on to the laptop, went n4:");
    show("laptop", laptop);

    out.println();
    out.println("== What each node holds ==");
    show("server", server);
    show("laptop", laptop);
    show("phone", phone);
    List<Note> expected = sorted(server);
    boolean equal = expected.equals(sorted(laptop)) && expected.equals(sorted(phone))
        && expected.size() == 3;
    out.println(equal ? "All three nodes are equal." : "The nodes DIFFER.");
    return equal;
  }

  private void show(String name, Syncro node) {
    for (Note note : sorted(node)) {
      out.println("  " + name + ": " + note);
    }
  }

  private static List<Note> sorted(Syncro node) {
    return notes(node).findAll().stream().sorted(Comparator.comparing(Note::id)).toList();
  }

  /** Closes a node and then its store, which stays the application's to close. */
  private void closeStore(Syncro node) {
    node.close();
    stores.remove(node).close();
  }

  @Override
  public void close() throws IOException {
    for (SyncroClient connection : new SyncroClient[] {laptopConnection, phoneConnection}) {
      if (connection != null) {
        connection.close();
      }
    }
    listening.close();
    for (Syncro node : List.of(server, laptop, phone)) {
      closeStore(node);
    }
  }
}
