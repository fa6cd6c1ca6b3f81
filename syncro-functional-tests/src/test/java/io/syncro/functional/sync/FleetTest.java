package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.syncro.ScribeType;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.Stamp;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.RedisStore;
import io.syncro.runtime.testing.RedisServerProcess;
import io.syncro.runtime.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server nodes sharing one Redis behave as one server: a change made through one reaches the
 * clients of the others, live, even when the announcement is lost; and a Redis that goes away
 * and comes back loses nothing.
 */
class FleetTest extends NodeTestSupport {
  private RedisStore store(String url, String prefix, boolean notifications) {
    RedisStore store = RedisStore.builder().url(url).prefix(prefix).notifications(notifications).build();
    closeLater(() -> {
      store.deleteEverything();
      store.close();
    });
    return store;
  }

  private Syncro serverNode(RedisStore store) {
    return closeLater(Syncro.builder().store(store).model(Memo.class)
        .repairInterval(Duration.ofMillis(200)).resyncDelay(Duration.ofMillis(200))
        .requestTimeout(Duration.ofSeconds(5)).build());
  }

  /** Two server nodes of one fleet: one Redis, under a prefix of their own. */
  private List<Syncro> twoNodes(String name, boolean notifications) {
    String prefix = TestRedis.uniquePrefix(name);
    return List.of(serverNode(store(TestRedis.url(), prefix, notifications)),
        serverNode(store(TestRedis.url(), prefix, notifications)));
  }

  private Syncro clientNode() {
    return closeLater(Syncro.builder().model(Memo.class).build());
  }

  private Pipe link(Syncro server, Syncro client, String clientUid) throws Exception {
    Pipe pipe = closeLater(new Pipe(server, clientUid, client, "server"));
    pipe.first().sync().get(10, TimeUnit.SECONDS);
    pipe.second().sync().get(10, TimeUnit.SECONDS);
    return pipe;
  }

  @Test
  void aChangeThroughOneNodeReachesTheClientsOfAnotherLive() throws Exception {
    List<Syncro> fleet = twoNodes("fleet", true);
    Syncro node1 = fleet.get(0);
    Syncro node2 = fleet.get(1);
    Syncro alice = clientNode();
    Syncro bob = clientNode();
    link(node1, alice, "alice");
    link(node2, bob, "bob");

    memos(alice).save(new Memo("a1", "from alice, through node 1"));
    memos(node2).save(new Memo("n2", "made on node 2"));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(memos(bob).find("a1")).isPresent();
      assertThat(memos(alice).find("n2")).isPresent();
    });
    // The fleet shares one set of objects, as one server would.
    assertThat(memos(node2).findAll()).hasSize(2);
  }

  @Test
  void aLostAnnouncementIsRepairedFromTheStore() throws Exception {
    String prefix = TestRedis.uniquePrefix("fleet-quiet");
    Syncro node1 = serverNode(store(TestRedis.url(), prefix, true));
    Syncro deaf = serverNode(store(TestRedis.url(), prefix, false));
    Syncro alice = clientNode();
    Syncro bob = clientNode();
    link(node1, alice, "alice");
    link(deaf, bob, "bob");

    for (int i = 0; i < 20; i++) {
      memos(alice).save(new Memo("a" + i, "to a node that hears no announcements"));
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(
        () -> assertThat(memos(bob).findAll()).hasSize(20));
  }

  /**
   * A node saves an id it has never seen, of a record another node made: it takes it for new at
   * first (a round trip saved on every create), the store refuses the create, and the save
   * becomes the update it is, so clients get the one field that changed, not a second create.
   */
  @Test
  void aNodeSavingARecordItHasNotSeenUpdatesIt() throws Exception {
    List<Syncro> fleet = twoNodes("fleet-unseen", false);
    Syncro node1 = fleet.get(0);
    Syncro node2 = fleet.get(1);
    Syncro alice = clientNode();
    Pipe toAlice = link(node2, alice, "alice");
    memos(node1).save(new Memo("m1", "made on node 1"));
    await().atMost(Duration.ofSeconds(20)).until(() -> memos(alice).find("m1").isPresent());

    Optional<Scribe> recorded = memos(node2).save(new Memo("m1", "changed on node 2"));

    assertThat(recorded).get().extracting(Scribe::type).isEqualTo(ScribeType.UPDATE);
    assertThat(memos(node1).find("m1")).get().extracting(memo -> memo.text)
        .isEqualTo("changed on node 2");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(memos(alice).find("m1"))
        .get().extracting(memo -> memo.text).isEqualTo("changed on node 2"));
    assertThat(toAlice.sentToSecond()).filteredOn(frame -> frame.contains("\"create\""))
        .as("one create of m1, from node 1").hasSize(1);
  }

  /** Two nodes create one new id at the same moment, neither having seen it: both changes merge. */
  @Test
  void twoNodesCreatingOneNewIdAtOnceEndAlike() throws Exception {
    List<Syncro> fleet = twoNodes("fleet-same-id", false);
    Syncro node1 = fleet.get(0);
    Syncro node2 = fleet.get(1);
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
    List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
    for (int n = 0; n < 2; n++) {
      Syncro node = n == 0 ? node1 : node2;
      String text = "from node " + n;
      runs.add(threads.submit(() -> {
        for (int i = 0; i < 200; i++) {
          memos(node).save(new Memo("new-" + i, text));
        }
        return null;
      }));
    }
    for (var run : runs) {
      run.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();

    // Each record holds one of the two creates, whole, and both nodes read the same.
    for (int i = 0; i < 200; i++) {
      Optional<Memo> one = memos(node1).find("new-" + i);
      assertThat(one).get().extracting(memo -> memo.text).isIn("from node 0", "from node 1");
      assertThat(memos(node2).find("new-" + i)).isEqualTo(one);
    }
  }

  /**
   * Two nodes of a fleet merge changes of the same record at the same moment, each from its own
   * client: neither overwrites what the other merged (a node whose store history changed while
   * it worked its change out works it out again), so the record ends as the latest change says.
   */
  @Test
  void twoNodesMergingOneRecordAtOnceLoseNeitherChange() throws Exception {
    List<Syncro> fleet = twoNodes("merge-race", false);
    Syncro node1 = fleet.get(0);
    Syncro node2 = fleet.get(1);
    memos(node1).save(new Memo("shared", "first"));
    int perNode = 1_000;
    java.util.Map<Stamp, String> written = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
    List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
    for (int n = 0; n < 2; n++) {
      Syncro node = n == 0 ? node1 : node2;
      String client = "client-" + n;
      java.util.Random random = new java.util.Random(n);
      runs.add(threads.submit(() -> {
        for (int i = 0; i < perNode; i++) {
          // Stamps in any order (offline clients coming back): the latest is somewhere in the
          // middle, and any write after it on the other node must not undo it.
          Stamp stamp = new Stamp(System.currentTimeMillis() - random.nextInt(10_000), i, client);
          Scribe update = Scribe.builder().klass("Memo").type(ScribeType.UPDATE)
              .data(io.syncro.runtime.internal.Json.NODES.arrayNode().add("shared")
                  .add(io.syncro.runtime.internal.Json.NODES.objectNode().put("text", client + " " + i)))
              .origin(client).stamp(stamp).build();
          written.put(stamp, client + " " + i);
          memos(node).replay(update);
        }
        return null;
      }));
    }
    for (var run : runs) {
      run.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();

    String latest = written.get(java.util.Collections.max(written.keySet()));
    assertThat(memos(node1).find("shared")).get().extracting(memo -> memo.text).isEqualTo(latest);
    assertThat(memos(node2).find("shared")).get().extracting(memo -> memo.text).isEqualTo(latest);
  }

  @Test
  void aRedisRestartLosesNothingAndTheFleetRecovers(@TempDir Path redisData) throws Exception {
    RedisServerProcess redis = closeLater(RedisServerProcess.start(redisData));
    String prefix = TestRedis.uniquePrefix("restart");
    Syncro node1 = serverNode(store(redis.url(), prefix, true));
    Syncro node2 = serverNode(store(redis.url(), prefix, true));
    Syncro alice = clientNode();
    Syncro bob = clientNode();
    Pipe toAlice = link(node1, alice, "alice");
    link(node2, bob, "bob");
    memos(alice).save(new Memo("before", "stored before the outage"));
    await().atMost(Duration.ofSeconds(20)).until(() -> memos(bob).find("before").isPresent());

    redis.kill();

    assertThatThrownBy(() -> memos(node1).save(new Memo("refused", "Redis is down")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("Redis failed");
    // A client's change arrives while Redis is down: node 1 cannot apply it, says so, and
    // keeps the client's cursor where it was.
    memos(alice).save(new Memo("during", "made by alice during the outage"));
    memos(bob).save(new Memo("bob-during", "made by bob during the outage"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(toAlice.sentToSecond()).anySatisfy(json -> assertThat(json).contains("\"type\":\"error\"")));

    redis.startAgain();
    memos(node2).save(new Memo("after", "stored after the outage"));
    memos(alice).save(new Memo("alice-after", "pushed by alice once Redis is back"));
    // No sync by hand: a node that could not apply a client's scribe keeps that client's
    // cursor where it was, and syncs again by itself until the scribe is in.

    List<String> expected = List.of("after", "alice-after", "before", "bob-during", "during");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (Syncro node : List.of(node1, node2, alice, bob)) {
        assertThat(memos(node).findAll()).extracting(memo -> memo.id)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    });
  }
}
