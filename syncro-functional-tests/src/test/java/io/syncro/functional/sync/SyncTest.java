package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nodes keeping memos in step over a real transport: both ways, relayed through a server, after
 * being offline, in large catch-ups.
 */
class SyncTest extends NodeTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private Syncro node(MemoryStore store) {
    Syncro node = Syncro.builder().store(store).model(Memo.class).build();
    closeLater(node);
    return node;
  }

  private Syncro node() {
    return node(new MemoryStore());
  }

  private Link connect(Transport transport, Syncro server, Syncro client, String clientUid) {
    Link link = transport.connect(server, "server", client, clientUid);
    closeLater(link);
    return link;
  }

  /** Both sides sync, as peers do on connect; returns when both catch-ups are applied. */
  private static void syncBoth(Link link) throws Exception {
    var first = link.first().sync();
    var second = link.second().sync();
    first.get(60, TimeUnit.SECONDS);
    second.get(60, TimeUnit.SECONDS);
  }

  private static void awaitSame(Syncro a, Syncro b) {
    await().atMost(PATIENCE).untilAsserted(
        () -> assertThat(memos(b).findAll()).containsExactlyInAnyOrderElementsOf(memos(a).findAll()));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void createUpdateAndDestroyFlowBothWays(Transport transport) throws Exception {
    Syncro server = node();
    Syncro client = node();
    Link link = connect(transport, server, client, "client-1");
    syncBoth(link);

    memos(server).save(new Memo("s1", "from the server"));
    memos(client).save(new Memo("c1", "from the client"));
    awaitSame(server, client);
    assertThat(memos(client).findAll()).hasSize(2);

    Memo edited = memos(client).find("s1").orElseThrow();
    edited.text = "edited on the client";
    memos(client).save(edited);
    memos(server).delete("c1");

    awaitSame(server, client);
    assertThat(memos(server).findAll()).containsExactly(edited);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aServerRelaysOneClientsChangeToTheOtherAndNotBack(Transport transport) throws Exception {
    Syncro server = node();
    Syncro clientA = node();
    Syncro clientB = node();
    Link toA = connect(transport, server, clientA, "a");
    Link toB = connect(transport, server, clientB, "b");
    syncBoth(toA);
    syncBoth(toB);

    memos(clientA).save(new Memo("m1", "from A"));
    await().atMost(PATIENCE).until(() -> memos(clientB).find("m1").isPresent());
    // A marker sent after the relay: once A has it, anything echoed would have arrived too.
    memos(server).save(new Memo("marker", "after the relay"));
    await().atMost(PATIENCE).until(() -> memos(clientA).find("marker").isPresent());

    assertThat(toB.sentToSecond()).anySatisfy(json -> assertThat(json).contains("from A"));
    assertThat(toA.sentToSecond())
        .anySatisfy(json -> assertThat(json).contains("after the relay"))
        .noneSatisfy(json -> assertThat(json).contains("from A"));
  }

  /** Which end of a connection the application calls {@code sync()} on. */
  enum CallingEnd { SERVER, CLIENT }

  @ParameterizedTest
  @EnumSource(CallingEnd.class)
  void oneSyncFromEitherEndCatchesUpBothWaysAndBothGoLive(CallingEnd end) throws Exception {
    Syncro server = node();
    Syncro client = node();
    memos(server).save(new Memo("on-server", "made before the connection"));
    memos(client).save(new Memo("on-client", "made offline"));
    Link link = connect(Transport.TCP, server, client, "client-1");

    (end == CallingEnd.SERVER ? link.first() : link.second()).sync().get(60, TimeUnit.SECONDS);

    awaitSame(server, client);
    assertThat(memos(server).findAll()).extracting(memo -> memo.id)
        .containsExactlyInAnyOrder("on-server", "on-client");
    // Both ends push their live changes, not only the end that called sync().
    memos(server).save(new Memo("live-from-server", "pushed"));
    memos(client).save(new Memo("live-from-client", "pushed"));
    awaitSame(server, client);
    assertThat(memos(client).findAll()).extracting(memo -> memo.id)
        .containsExactlyInAnyOrder("on-server", "on-client", "live-from-server", "live-from-client");
  }

  @Test
  void upToDateSaysWhetherAJavaPeerHasAnythingThisNodeLacks() throws Exception {
    Syncro server = node();
    Syncro client = node();
    Link link = connect(Transport.TCP, server, client, "client-1");
    assertThat(link.second().upToDate().get(10, TimeUnit.SECONDS)).isTrue();

    memos(client).save(new Memo("mine", "the client's own, sent up"));
    memos(server).save(new Memo("theirs", "not synced yet"));
    assertThat(link.second().upToDate().get(10, TimeUnit.SECONDS)).isFalse();

    link.second().sync().get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> memos(server).find("mine").isPresent());
    assertThat(link.second().upToDate().get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void peerChangeListenersHearEachChangeAPeerMadeAndNotTheNodesOwn() throws Exception {
    Syncro server = node();
    Syncro client = node();
    List<String> heard = new CopyOnWriteArrayList<>();
    memos(client).onPeerChange(change -> heard.add(change.peer() + " " + change.type() + " "
        + change.id() + " " + change.record().map(memo -> memo.text).orElse("(gone)")));
    memos(server).save(new Memo("m1", "made before the sync"));
    syncBoth(connect(Transport.TCP, server, client, "client-1"));

    Memo edited = memos(server).find("m1").orElseThrow();
    edited.text = "edited live";
    memos(server).save(edited);
    memos(server).delete("m1");
    memos(client).save(new Memo("mine", "the client's own"));

    await().atMost(PATIENCE).until(() -> heard.size() >= 3);
    assertThat(heard).containsExactly("server CREATE m1 made before the sync",
        "server UPDATE m1 edited live", "server DESTROY m1 (gone)");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anOfflineClientCatchesUpOnReconnect(Transport transport) throws Exception {
    Syncro server = node();
    Syncro client = node();
    Link first = connect(transport, server, client, "client-1");
    syncBoth(first);
    memos(server).save(new Memo("before", "seen live"));
    awaitSame(server, client);

    first.drop();
    for (int i = 0; i < 1_000; i++) {
      memos(server).save(new Memo("m" + i, "made while B was away"));
    }
    Memo changed = memos(server).find("before").orElseThrow();
    changed.version = 2;
    memos(server).save(changed);

    syncBoth(connect(transport, server, client, "client-1"));

    assertThat(memos(client).findAll()).hasSize(1_001).contains(changed);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void changesMadeOnBothSidesWhileDisconnectedFlowBothWays(Transport transport) throws Exception {
    Syncro server = node();
    Syncro client = node();
    Link first = connect(transport, server, client, "client-1");
    syncBoth(first);
    memos(server).save(new Memo("shared", "v1"));
    awaitSame(server, client);
    first.drop();

    memos(server).save(new Memo("server-only", "made offline"));
    memos(client).save(new Memo("client-only", "made offline"));
    Memo shared = memos(client).find("shared").orElseThrow();
    shared.text = "edited by the client offline";
    memos(client).save(shared);

    syncBoth(connect(transport, server, client, "client-1"));

    awaitSame(server, client);
    assertThat(memos(server).findAll())
        .extracting(memo -> memo.id + "=" + memo.text)
        .containsExactlyInAnyOrder("shared=edited by the client offline",
            "server-only=made offline", "client-only=made offline");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aHundredThousandScribeBacklogCatchesUpWithoutAnOversizedFrame(Transport transport)
      throws Exception {
    Syncro server = node();
    Syncro client = node();
    SyncedRepository<Memo, String> serverMemos = memos(server);
    for (int i = 0; i < 100_000; i++) {
      serverMemos.save(new Memo("m" + i, "backlog " + i));
    }
    Link link = connect(transport, server, client, "client-1");

    syncBoth(link);

    assertThat(memos(client).findAll()).hasSize(100_000);
    assertThat(link.longestFrame()).isGreaterThan(60_000).isLessThanOrEqualTo(65_535);
    assertThat(client.clients()).singleElement()
        .satisfies(state -> assertThat(state.cursor()).isEqualTo("100000"))
        .satisfies(state -> assertThat(state.synced()).isTrue());
  }
}
