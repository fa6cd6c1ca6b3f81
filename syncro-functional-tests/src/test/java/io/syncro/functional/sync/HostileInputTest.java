package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.functional.Note;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages an honest peer never sends: each gets a clear, logged outcome (an error answer, being
 * ignored, or a clean close), changes nothing stored, throws nothing at the transport's thread,
 * and leaves other sessions working.
 */
class HostileInputTest {
  private MemoryStore store;
  private Syncro node;
  private RawPeer peer;
  private RawPeer bystander;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    node = Syncro.builder().store(store).model(Memo.class).maxFrameBytes(4_096).build();
    node.repository(Memo.class, String.class).save(new Memo("m1", "stored"));
    peer = new RawPeer(node, "mallory");
    bystander = new RawPeer(node, "alice");
  }

  private String storedState() {
    return store.size() + " " + node.repository(Memo.class, String.class).findAll() + " "
        + node.clients();
  }

  /** The session answers a noop, so it is alive, and so is the other session. */
  private void assertStillServing() {
    assertThat(peer.send("{\"type\":\"noop\",\"id\":99}"))
        .singleElement().hasToString("{\"type\":\"response\",\"id\":99,\"result\":true}");
    assertThat(bystander.send("{\"type\":\"noop\",\"id\":7}")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "this is not json",
    "{\"type\":\"sync\",",
    "[1,2,3]",
    "\"a string\"",
    "42",
    "{\"no_type\":true}",
    "{\"type\":17}",
    "{\"type\":\"explode\",\"id\":1}",
    "{\"type\":\"response\",\"id\":12345,\"result\":true}",
    "{\"type\":\"response\",\"id\":\"x\"}",
    "{\"type\":\"error\",\"code\":500}",
    "{\"type\":\"sync\",\"from\":null}",
    "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"create\",\"data\":{\"id\":\"m9\"}}}",
    "{\"type\":\"noop\",\"id\":\"one\"}"
  })
  void isIgnored(String message) {
    String before = storedState();

    assertThat(peer.send(message)).isEmpty();

    assertThat(storedState()).isEqualTo(before);
    assertStillServing();
  }

  @Test
  void aZeroLengthFrameIsIgnored() {
    String before = storedState();

    assertThat(peer.sendBytes(new byte[] {0, 0})).isEmpty();

    assertThat(storedState()).isEqualTo(before);
    assertStillServing();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"type\":\"add_scribe\",\"id\":5}",
    "{\"type\":\"add_scribe\",\"scribe\":[1],\"id\":5}",
    "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\"},\"id\":5}",
    "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"create\",\"data\":{\"id\":\"m2\",\"version\":\"two\"}},\"id\":5}",
    "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"update\",\"data\":[\"m1\",{\"text\":{\"a\":7}}]},\"id\":5}",
    "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"destroy\",\"data\":{\"id\":\"m1\"}},\"id\":5}",
    "{\"type\":\"sync\",\"from\":{\"a\":1},\"id\":5}",
    "{\"type\":\"rpc\",\"klass\":\"Syncro::RPC::Default\",\"id\":5}",
    "{\"type\":\"rpc\",\"klass\":\"Syncro::RPC::Default\",\"method\":\"last_scribe_id\",\"args\":{},\"id\":5}"
  })
  void getsAnErrorWithItsIdAndChangesNothing(String message) {
    String before = storedState();

    List<JsonNode> answer = peer.send(message);

    assertThat(answer).singleElement().satisfies(error -> {
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("code").asInt()).isZero();
      assertThat(error.path("id").asInt()).isEqualTo(5);
      assertThat(error.path("message").asText()).isNotEmpty();
    });
    assertThat(storedState()).isEqualTo(before);
    assertStillServing();
  }

  @Test
  void aScribeOfAClassThatIsNotSyncedGets403() {
    String before = storedState();

    List<JsonNode> answer = peer.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Secret\","
        + "\"type\":\"create\",\"data\":{\"id\":\"s1\"}},\"id\":3}");

    assertThat(answer).singleElement().satisfies(error -> {
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("code").asInt()).isEqualTo(403);
      assertThat(error.path("id").asInt()).isEqualTo(3);
    });
    assertThat(storedState()).isEqualTo(before);
    assertStillServing();
  }

  @Test
  void rpcToAClassOrMethodNotExposedGets404Or405() {
    assertThat(peer.send("{\"type\":\"rpc\",\"klass\":\"Kernel\",\"method\":\"exit\",\"args\":[],\"id\":1}"))
        .singleElement().satisfies(error -> assertThat(error.path("code").asInt()).isEqualTo(404));
    assertThat(peer.send("{\"type\":\"rpc\",\"klass\":\"Syncro::RPC::Default\",\"method\":\"eval\",\"args\":[],\"id\":2}"))
        .singleElement().satisfies(error -> assertThat(error.path("code").asInt()).isEqualTo(405));
  }

  @Test
  void aFrameLongerThanTheLimitClosesOnlyThatSession() {
    String before = storedState();
    byte[] huge = RawPeer.frame("{\"type\":\"noop\",\"pad\":\"" + "x".repeat(5_000) + "\",\"id\":1}");

    assertThat(peer.sendBytes(huge)).isEmpty();

    assertThat(peer.closedByNode()).isTrue();
    assertThat(peer.session.isOpen()).isFalse();
    assertThat(node.sessions()).containsExactly(bystander.session);
    assertThat(storedState()).isEqualTo(before);
    assertThat(bystander.send("{\"type\":\"noop\",\"id\":7}")).hasSize(1);
  }

  @Test
  void aPartialFrameAtCloseIsDropped() {
    byte[] frame = RawPeer.frame("{\"type\":\"noop\",\"id\":1}");

    peer.sendBytes(java.util.Arrays.copyOf(frame, 5));
    peer.session.disconnect();

    assertThat(peer.sendBytes(java.util.Arrays.copyOfRange(frame, 5, frame.length))).isEmpty();
  }

  @Test
  void theSenderIsTheSessionsClientWhateverTheScribeSays() {
    MemoryStore notesStore = new MemoryStore();
    Syncro withNotes = Syncro.builder().store(notesStore).model(Note.class).build();
    RawPeer raw = new RawPeer(withNotes, "bob");

    raw.send("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\",\"type\":\"create\","
        + "\"data\":{\"id\":\"n1\",\"owner\":\"alice\"},\"origin\":\"alice\",\"from\":\"alice\"},\"id\":1}");

    assertThat(notesStore.since("alice", null, 10))
        .singleElement()
        .satisfies(scribe -> assertThat(scribe.origin()).hasValue("bob"));
  }
}
