package io.syncro.functional.sync;

import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Run in its own JVM by {@link NodeCrashTest}: saves, updates and deletes memos through a node
 * on a file store until it is killed, printing {@code ack N} once each change has returned.
 */
public final class NodeCrashWriter {
  private NodeCrashWriter() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    String run = args[1];
    FileStore.Durability durability = FileStore.Durability.valueOf(args[2]);
    Random random = new Random(Long.parseLong(args[3]));
    PrintStream out = System.out;
    try (FileStore store = FileStore.open(directory, durability);
        Syncro node = Syncro.builder().store(store).model(Memo.class).build()) {
      SyncedRepository<Memo, String> memos = node.repository(Memo.class, String.class);
      List<String> ids = new ArrayList<>();
      memos.findAll().forEach(memo -> ids.add(memo.id));
      for (int n = 0; ; n++) {
        int choice = ids.isEmpty() ? 0 : random.nextInt(3);
        if (choice == 0) {
          String id = run + "-" + n;
          memos.save(new Memo(id, "created " + n));
          ids.add(id);
        } else if (choice == 1) {
          String id = ids.get(random.nextInt(ids.size()));
          memos.save(new Memo(id, "updated " + n));
        } else {
          memos.delete(ids.remove(random.nextInt(ids.size())));
        }
        out.println("ack " + n);
        out.flush();
      }
    }
  }
}
