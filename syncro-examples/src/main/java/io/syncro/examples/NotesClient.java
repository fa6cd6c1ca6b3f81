package io.syncro.examples;

import io.syncro.runtime.Session;
import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A notes client on the command line: its own {@link FileStore}, a TCP connection to a
 * {@link NotesServer}, and commands read from standard input:
 * {@code add ID TITLE}, {@code rename ID TITLE}, {@code tag ID TAG}, {@code share ID [UID...]}
 * (with those clients only, or with everyone when none is named), {@code delete ID},
 * {@code list}, {@code quit}. Stopped and started again, it catches up with what it missed.
 */
public final class NotesClient implements AutoCloseable {
  private final String uid;
  private final FileStore store;
  private final Syncro node;
  private final NettyTransport netty = new NettyTransport();
  private final Session session;

  public NotesClient(int port, String uid, Path data) throws Exception {
    this.uid = uid;
    this.store = FileStore.open(data);
    this.node = Syncro.builder().store(store).model(Note.class).trust("server").build();
    this.session = netty.connect(node, port, uid, "server");
    session.sync().get(30, TimeUnit.SECONDS);
  }

  /** {@code client --port P --uid U --data DIR}, then commands on standard input. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args, "port", "uid", "data");
    String uid = options.getOrDefault("uid", "client");
    try (NotesClient client = new NotesClient(Integer.parseInt(options.getOrDefault("port", "7000")),
        uid, Path.of(options.getOrDefault("data", "notes-" + uid)))) {
      System.out.println("notes of " + uid + " (" + COMMANDS + "):");
      client.notes().onRemoved(note -> System.out.println(note.id() + " is no longer shared with " + uid));
      client.list(System.out);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
        client.run(line, System.out);
      }
    }
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
  public void close() throws IOException {
    // The server answers in order: once it has answered this, it has every change sent before.
    try {
      session.ping().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Offline or slow: nothing is lost, the next sync sends what did not get through.
    }
    session.disconnect();
    netty.close();
    node.close();
    store.close();
  }
}
