package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.syncro.runtime.SyncedRepository;
import io.syncro.runtime.Syncro;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The trap of a client built without {@code trust("server")} for a class with recipients (the
 * README's notes): its own changes are addressed to their owner, not to the server, so they
 * never go up, and the server's edits of them are refused by the client. Nothing is broken by the
 * library (that is what the recipients say), so it must at least say so where a user looks: a
 * warning naming the fix, on the client. These tests log warnings on purpose.
 */
class UntrustedServerTest extends NodeTestSupport {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Syncro node(boolean trustsServer) {
    Syncro.Builder builder = Syncro.builder().model(Doc.class);
    if (trustsServer) {
      builder.trust("server");
    }
    return closeLater(builder.build());
  }

  private static SyncedRepository<Doc, String> docs(Syncro node) {
    return node.repository(Doc.class, String.class);
  }

  /**
   * The client saves d1 and the server d2, both alice's; once d2 reached the client, the server
   * edits it.
   */
  private static void eachSideMakesAliceADocAndTheServerEditsItsOwn(Syncro server, Syncro client) {
    docs(client).save(new Doc("d1", "alice's, made on her device", "alice", Set.of()));
    docs(server).save(new Doc("d2", "alice's, made on the server", "alice", Set.of()));
    await().atMost(PATIENCE).until(() -> docs(client).find("d2").isPresent());
    Doc edited = docs(server).find("d2").orElseThrow();
    edited.text = "edited on the server";
    docs(server).save(edited);
  }

  @Test
  void aClientThatDoesNotTrustItsServerSaysSoInsteadOfSilentlyKeepingItsChanges() throws Exception {
    Syncro server = node(false);
    Syncro client = node(false);
    try (CapturedLog log = new CapturedLog()) {
      connect(server, "alice", client);

      eachSideMakesAliceADocAndTheServerEditsItsOwn(server, client);

      await().atMost(PATIENCE).until(() -> log.text().contains("refused scribe"));
      assertThat(log.text())
          .contains("this node's changes of Doc are not sent to its peer server")
          .contains("If server is this node's server, build the node with .trust(\"server\")");
    }
    assertThat(docs(server).find("d1")).isEmpty();
    assertThat(docs(client).find("d2").orElseThrow().text).isEqualTo("alice's, made on the server");
  }

  @Test
  void aClientThatTrustsItsServerSyncsBothWaysAndIsNotWarned() throws Exception {
    Syncro server = node(false);
    Syncro client = node(true);
    try (CapturedLog log = new CapturedLog()) {
      connect(server, "alice", client);

      eachSideMakesAliceADocAndTheServerEditsItsOwn(server, client);

      await().atMost(PATIENCE).untilAsserted(() -> {
        assertThat(docs(server).find("d1")).isPresent();
        assertThat(docs(client).find("d2").orElseThrow().text).isEqualTo("edited on the server");
      });
      assertThat(log.text()).doesNotContain("trust(");
    }
  }

  @Test
  void aServerWithManyClientsIsNotWarnedOfWhatItsRecipientsWithhold() throws Exception {
    Syncro server = node(false);
    Syncro alice = node(true);
    Syncro bob = node(true);
    try (CapturedLog log = new CapturedLog()) {
      connect(server, "alice", alice);
      connect(server, "bob", bob);

      docs(server).save(new Doc("d1", "alice's alone", "alice", Set.of()));

      await().atMost(PATIENCE).until(() -> docs(alice).find("d1").isPresent());
      assertThat(docs(bob).find("d1")).isEmpty();
      assertThat(log.text()).doesNotContain("trust(");
    }
  }
}
