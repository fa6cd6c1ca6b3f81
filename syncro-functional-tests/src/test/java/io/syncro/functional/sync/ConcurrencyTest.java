package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several clients, each on its own threads, recording while the server replays and relays their
 * changes to the others: every node ends with every memo, each at its last version.
 */
class ConcurrencyTest {
  private static final int CLIENTS = 4;
  private static final int MEMOS_PER_CLIENT = 250;

  private static SyncedRepository<Memo, String> memos(Syncro node) {
    return node.repository(Memo.class, String.class);
  }

  @Test
  void clientsRecordingAtOnceConverge() throws Exception {
    Syncro server = Syncro.builder().model(Memo.class).build();
    List<Syncro> clients = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    ExecutorService writers = Executors.newFixedThreadPool(CLIENTS * 2);
    try {
      for (int c = 0; c < CLIENTS; c++) {
        Syncro client = Syncro.builder().model(Memo.class).build();
        clients.add(client);
        Transport transport = c % 2 == 0 ? Transport.PIPE : Transport.TCP;
        Link link = transport.connect(server, "server", client, "client-" + c);
        links.add(link);
        link.first().sync().get(10, TimeUnit.SECONDS);
        link.second().sync().get(10, TimeUnit.SECONDS);
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Syncro client = clients.get(c);
        String prefix = "c" + c + "-";
        // Two threads a client: one creates memos, the other edits the same ones as they appear.
        work.add(writers.submit(() -> {
          start.await();
          for (int i = 0; i < MEMOS_PER_CLIENT; i++) {
            memos(client).save(new Memo(prefix + i, "created"));
          }
          return null;
        }));
        work.add(writers.submit(() -> {
          start.await();
          for (int i = 0; i < MEMOS_PER_CLIENT; i++) {
            String id = prefix + i;
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> memos(client).find(id).isPresent());
            Memo memo = memos(client).find(id).orElseThrow();
            memo.version = 2;
            memo.text = "edited";
            memos(client).save(memo);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : work) {
        future.get(60, TimeUnit.SECONDS);
      }

      List<Syncro> everyone = new ArrayList<>(clients);
      everyone.add(server);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (Syncro node : everyone) {
          assertThat(memos(node).findAll())
              .hasSize(CLIENTS * MEMOS_PER_CLIENT)
              .allSatisfy(memo -> assertThat(memo.version).isEqualTo(2));
        }
      });
    } finally {
      writers.shutdownNow();
      links.forEach(Link::close);
      clients.forEach(Syncro::close);
      server.close();
    }
  }
}
