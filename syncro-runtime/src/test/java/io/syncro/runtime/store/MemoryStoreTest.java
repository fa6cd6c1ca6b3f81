package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private final MemoryStore store = new MemoryStore();

  private Scribe append(String name, Recipients recipients, String origin) {
    return store.append(Scribe.builder()
        .klass("Test")
        .type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", name))
        .recipients(recipients)
        .origin(origin)
        .build());
  }

  private static List<String> names(List<Scribe> scribes) {
    return scribes.stream().map(s -> s.data().path("id").asText()).toList();
  }

  @Test
  void mintsIncreasingDecimalIds() {
    assertThat(append("a", Recipients.everyone(), null).id()).isEqualTo("1");
    assertThat(append("b", Recipients.everyone(), null).id()).isEqualTo("2");
  }

  @Test
  void sinceMergesScribesToEveryoneAndToTheClientInOrder() {
    append("all-1", Recipients.everyone(), null);
    append("alice-2", Recipients.of(List.of("alice")), null);
    append("bob-3", Recipients.of(List.of("bob")), null);
    append("all-4", Recipients.everyone(), null);
    append("both-5", Recipients.of(List.of("alice", "bob")), null);

    assertThat(names(store.since("alice", null, 100))).containsExactly("all-1", "alice-2", "all-4", "both-5");
    assertThat(names(store.since("alice", "2", 100))).containsExactly("all-4", "both-5");
    assertThat(names(store.since("alice", "2", 1))).containsExactly("all-4");
    assertThat(names(store.since("carol", null, 100))).containsExactly("all-1", "all-4");
    assertThat(store.countSince("alice", "1")).isEqualTo(3);
  }

  @Test
  void leavesOutWhatCameFromTheClient() {
    append("mine", Recipients.everyone(), "alice");
    append("theirs", Recipients.everyone(), "bob");

    assertThat(names(store.since("alice", null, 100))).containsExactly("theirs");
    assertThat(store.lastIdFor("alice")).hasValue("2");
    assertThat(store.lastIdFor("bob")).hasValue("1");
  }

  @Test
  void anUnknownCursorMeansFromTheStart() {
    append("a", Recipients.everyone(), null);
    append("b", Recipients.everyone(), null);

    assertThat(names(store.since("alice", "9f3c0a", 100))).containsExactly("a", "b");
    assertThat(names(store.since("alice", "99", 100))).containsExactly("a", "b");
    assertThat(names(store.since("alice", "", 100))).containsExactly("a", "b");
    assertThat(names(store.since("alice", "2", 100))).isEmpty();
  }

  @Test
  void lastIdForNobodysScribesIsEmpty() {
    append("to-bob", Recipients.of(List.of("bob")), null);

    assertThat(store.lastIdFor("alice")).isEmpty();
  }

  @Test
  void remembersClients() {
    assertThat(store.client("alice")).isEqualTo(ClientState.unknown("alice"));

    store.saveClient(new ClientState("alice", "7", true));

    assertThat(store.client("alice")).isEqualTo(new ClientState("alice", "7", true));
    assertThat(store.clients()).containsExactly(new ClientState("alice", "7", true));
  }
}
