package io.syncro.examples;

import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's main job: a server and two clients (a laptop and a phone) keep notes in step over
 * loopback TCP (Netty), each node on its own {@link FileStore} in a data directory. The phone goes
 * offline, everyone makes changes, the phone restarts from its files and comes back, and both
 * sides catch up. Prints what each node holds at the end, and whether they are equal.
 */
public final class SyncDemo implements AutoCloseable {
  private final PrintStream out;
  private final Path data;
  private final Syncro server;
  private final Syncro laptop;
  private Syncro phone;
  /** Each node's store, which the demo opened and so closes after the node. */
  private final Map<Syncro, FileStore> stores = new IdentityHashMap<>();
  private final NettyTransport netty = new NettyTransport();
  private final io.netty.channel.Channel listener;

  /** @param data where the nodes keep their stores, one subdirectory each */
  SyncDemo(PrintStream out, Path data) throws IOException {
    this.out = out;
    this.data = data;
    this.server = node("server");
    this.laptop = node("laptop");
    this.phone = node("phone");
    try {
      // The server's side: each client says its uid, then both sides sync.
      this.listener = netty.listen(server, 0, Session::sync);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting", e);
    }
  }

  /** A node whose scribes, cursors and notes live in {@code data/name}. */
  private Syncro node(String name) {
    FileStore store = FileStore.open(data.resolve(name), FileStore.Durability.OPERATING_SYSTEM);
    Syncro node = Syncro.builder().store(store).model(Note.class).build();
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

  /** A client's side: connect, say who it is, sync; returns once caught up. */
  private Session connect(Syncro client, String uid) throws Exception {
    Session session = netty.connect(client, port(), uid, "server");
    session.sync().get(30, TimeUnit.SECONDS);
    return session;
  }

  private int port() {
    return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Waits until everything sent so far on these sessions has been handled at the other end: a
   * peer answers in order, so a ping's answer comes after every earlier message's effects.
   */
  private static void settle(Session... sessions) throws Exception {
    for (Session session : sessions) {
      session.ping().get(30, TimeUnit.SECONDS);
    }
  }

  private static SyncedRepository<Note, String> notes(Syncro node) {
    return node.repository(Note.class, String.class);
  }

  boolean run() throws Exception {
    out.println("== The laptop and the phone connect to the server on 127.0.0.1:" + port() + " ==");
    Session laptopSession = connect(laptop, "laptop");
    Session phoneSession = connect(phone, "phone");

    out.println("laptop adds two notes; the phone gets them live");
    Note groceries = new Note("n1", "Groceries", "alice");
    groceries.tags().add("home");
    notes(laptop).save(groceries);
    notes(laptop).save(new Note("n2", "Call Bob", "alice"));
    settle(laptopSession, phoneSession);
    show("phone", phone);

    out.println();
    out.println("== The phone goes offline ==");
    phoneSession.disconnect();
    out.println("laptop renames n1 and deletes n2; the server adds a note");
    groceries.rename("Groceries for Sunday");
    groceries.tags().add("weekend");
    notes(laptop).save(groceries);
    notes(laptop).delete("n2");
    notes(server).save(new Note("n3", "Team meeting", "bob"));
    out.println("the phone, offline, adds a note");
    notes(phone).save(new Note("n4", "Buy stamps", "alice"));
    show("phone", phone);

    out.println();
    out.println("== The phone restarts: a new node on the same files ==");
    closeStore(phone);
    phone = node("phone");
    out.println("it still holds what it had, and remembers where it was with the server:");
    show("phone", phone);
    phone.clients().forEach(client -> out.println("  phone: last scribe applied from "
        + client.uid() + " is " + client.cursor()));

    out.println();
    out.println("== The phone comes back and catches up both ways ==");
    phoneSession = connect(phone, "phone");
    settle(phoneSession, laptopSession);

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
    return notes(node).findAll().stream()
        .sorted(java.util.Comparator.comparing(Note::id))
        .toList();
  }

  /** Closes a node and then its store, which stays the application's to close. */
  private void closeStore(Syncro node) {
    node.close();
    stores.remove(node).close();
  }

  @Override
  public void close() throws IOException {
    listener.close().syncUninterruptibly();
    for (Syncro node : List.of(server, laptop, phone)) {
      closeStore(node);
    }
    netty.close();
  }
}
