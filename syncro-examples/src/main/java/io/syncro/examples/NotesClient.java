package io.syncro.examples;

import io.syncro.netty.SyncroClient;
import io.syncro.runtime.PeerChange;
import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A notes client on the command line: its own {@link FileStore}, a TCP connection to a
 * {@link NotesServer} kept up by a {@link SyncroClient} (it says when it cannot reach the
 * server, tries again less and less often, and reconnects after a server restart), and commands
 * read from standard input: {@code add ID TITLE}, {@code rename ID TITLE}, {@code tag ID TAG},
 * {@code share ID [UID...]} (with those clients only, or with everyone when none is named),
 * {@code delete ID}, {@code list}, {@code quit}. Changes from others are printed as they arrive.
 * It works offline too: what is typed then goes up on the next connection.
 */
public final class NotesClient implements AutoCloseable {
  private final String uid;
  private final FileStore store;
  private final Syncro node;
  private final SyncroClient connection;

  /**
   * Opens the client's files and starts connecting; returns at once (see {@link #firstSync}).
   * What happens to the connection, and changes from others, are printed to {@code out}.
   */
  public NotesClient(String host, int port, String uid, String token, Path data, PrintStream out) {
    this.uid = uid;
    this.store = FileStore.open(data);
    this.node = Syncro.builder().nodeUid(uid).store(store).model(Note.class).trust("server").build();
    notes().onPeerChange(change -> out.println("< " + describe(change)));
    notes().onRemoved(note -> out.println("< " + note.id() + " is no longer shared with " + uid));
    // Ids here are typed by hand, so two users may pick the same one: the later note is kept
    // under a new id rather than lost.
    notes().onIdConflict(conflict -> conflict.ours().ifPresent(mine -> {
      String newId = mine.id() + "-"
          + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
      Note renamed = new Note(newId, mine.title(), mine.owner());
      renamed.tags().addAll(mine.tags());
      renamed.shareWith(mine.sharedWith());
      notes().rekey(mine.id(), renamed);
      out.println("< " + mine.id() + " is taken on the server by a note you may not see;"
          + " yours is now " + newId);
    }));
    notes().onRefusedByPeer(refused -> out.println("< the server refused your change of "
        + refused.id() + "; it is back as the server has it"));
    this.connection = SyncroClient.builder(node)
        .server(host, port)
        .token(token)
        .listener(new SyncroClient.Listener() {
          @Override
          public void connectFailed(Throwable cause, Duration retryIn) {
            out.println("cannot reach the server at " + host + ":" + port + " ("
                + cause.getMessage() + "); trying again in " + seconds(retryIn));
          }

          @Override
          public void connected(Session session) {
            out.println("connected to " + host + ":" + port + " as " + uid);
          }

          @Override
          public void synced(Session session) {
            out.println("in sync with the server");
          }

          @Override
          public void disconnected(Duration retryIn) {
            out.println("lost the server; your changes wait here. Trying again in " + seconds(retryIn));
          }

          @Override
          public void stopped(Throwable cause) {
            out.println("the server refused the token of " + uid + ": check --token");
          }
        })
        .start();
  }

  /** {@code client --port P --uid U --token T --data DIR [--host H]}, then commands. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args, "host", "port", "uid", "token", "data");
    String uid = options.getOrDefault("uid", "ada");
    String token = options.get("token");
    if (token == null) {
      System.out.println("give this client its token: --token T (the server's tokens file has"
          + " one per uid)");
      return;
    }
    PrintStream out = System.out;
    try (NotesClient client = new NotesClient(options.getOrDefault("host", "127.0.0.1"),
        Integer.parseInt(options.getOrDefault("port", "7000")), uid, token,
        Path.of(options.getOrDefault("data", "notes-" + uid)), out)) {
      out.println("notes of " + uid + " (" + COMMANDS + "):");
      client.list(out);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
        client.run(line, out);
      }
      out.println("bye");
    }
  }

  /** Completes when the first connection has synced (see {@link SyncroClient#firstSync}). */
  public CompletableFuture<Void> firstSync() {
    return connection.firstSync();
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static String describe(PeerChange<Note, String> change) {
    String what = switch (change.type()) {
      case CREATE -> "added";
      case UPDATE -> "changed";
      case DESTROY -> "deleted";
    };
    return change.id() + " " + what + change.record().map(note -> ": " + note).orElse("");
  }

  private static final String COMMANDS =
      "add ID TITLE, rename ID TITLE, tag ID TAG, share ID [UID...], delete ID, list, quit";

  private SyncedRepository<Note, String> notes() {
    return node.repository(Note.class, String.class);
  }

  /** Runs one command line, printing the outcome. */
  public void run(String line, PrintStream out) {
    String[] words = line.trim().split("\\s+", 3);
    try {
      switch (words[0]) {
        case "add":
          notes().save(new Note(words[1], words[2], uid));
          out.println("added " + words[1]);
          break;
        case "rename":
          Note renamed = existing(words[1]);
          renamed.rename(words[2]);
          notes().save(renamed);
          out.println("renamed " + words[1]);
          break;
        case "tag":
          Note tagged = existing(words[1]);
          tagged.tags().add(words[2]);
          notes().save(tagged);
          out.println("tagged " + words[1]);
          break;
        case "share":
          Note shared = existing(words[1]);
          Set<String> with = words.length < 3 ? Set.of()
              : new LinkedHashSet<>(Arrays.asList(words[2].trim().split("\\s+")));
          shared.shareWith(with);
          notes().save(shared);
          out.println("shared " + words[1] + " with " + (with.isEmpty() ? "everyone" : String.join(", ", with)));
          break;
        case "delete":
          out.println(notes().delete(words[1]).isPresent() ? "deleted " + words[1] : "no note " + words[1]);
          break;
        case "list":
          list(out);
          break;
        case "":
          break;
        default:
          out.println("commands: " + COMMANDS);
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      out.println("missing words in: " + line);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
    }
  }

  private Note existing(String id) {
    return notes().find(id).orElseThrow(() -> new IllegalArgumentException("no note " + id));
  }

  /** Prints every note, by id. */
  public void list(PrintStream out) {
    notes().findAll().stream()
        .sorted(Comparator.comparing(Note::id))
        .forEach(note -> out.println("  " + note));
  }

  public Syncro node() {
    return node;
  }

  @Override
  public void close() {
    // A peer answers in order: once the server answered this, it has every change sent before.
    // Bounded, so that quitting is quick even when the server is slow or gone; what did not get
    // through is sent on the next connection.
    connection.session().ifPresent(session -> {
      try {
        session.ping().get(1, TimeUnit.SECONDS);
      } catch (Exception notAnswered) {
        // offline or slow: nothing is lost
      }
    });
    connection.close();
    node.close();
    store.close();
  }
}
