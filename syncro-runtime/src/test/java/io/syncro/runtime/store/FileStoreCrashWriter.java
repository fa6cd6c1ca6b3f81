package io.syncro.runtime.store;

import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Run in its own JVM by {@link FileStoreCrashTest}: appends scribes to a file store until it is
 * killed, printing {@code ack ID NAME} once each append has returned.
 */
public final class FileStoreCrashWriter {
  private FileStoreCrashWriter() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    String run = args[1];
    FileStore.Durability durability = FileStore.Durability.valueOf(args[2]);
    PrintStream out = System.out;
    try (FileStore store = FileStore.open(directory, durability)) {
      out.println("open " + store.lastSequence());
      out.flush();
      for (int n = 0; ; n++) {
        String name = run + "-" + n;
        Scribe stored = store.append(Scribe.builder()
            .klass("Test")
            .type(ScribeType.CREATE)
            .data(Json.NODES.objectNode().put("id", name).put("padding", "y".repeat(n % 300)))
            .recipients(n % 3 == 0 ? Recipients.everyone() : Recipients.of(java.util.List.of("c" + n % 5)))
            .build());
        store.saveClient(new ClientState("peer", stored.id(), true));
        out.println("ack " + stored.id() + " " + name);
        out.flush();
      }
    }
  }
}
