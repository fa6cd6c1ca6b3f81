package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncro.ScribeType;
import io.syncro.runtime.ConcurrentChangeException;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.Stamp;
import io.syncro.runtime.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScribeStore} must do, run unchanged against each of them. A subclass says how
 * to open a fresh store and, for durable ones, how to reopen it as a restarted process would.
 */
abstract class ScribeStoreContract {
  protected ScribeStore store;

  /** A new, empty store. */
  protected abstract ScribeStore openNew() throws Exception;

  /** The same store as a restarted process sees it; null when the store keeps nothing. */
  protected abstract ScribeStore reopen(ScribeStore closed) throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = openNew();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private Scribe append(String name, Recipients recipients, String origin) {
    return store.append(Scribe.builder()
        .klass("Test")
        .type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", name).put("text", "é <&> 😀"))
        .recipients(recipients)
        .origin(origin)
        .build());
  }

  private static Recipients to(String... uids) {
    return Recipients.of(List.of(uids));
  }

  private static List<String> names(List<Scribe> scribes) {
    return scribes.stream().map(s -> s.data().path("id").asText()).toList();
  }

  @Test
  void appendMintsIncreasingIdsAndKeepsEverything() {
    Scribe first = append("a", Recipients.everyone(), null);
    Scribe second = append("b", to("alice"), "bob");

    assertThat(Long.parseLong(second.id())).isGreaterThan(Long.parseLong(first.id()));
    assertThat(store.lastSequence()).isEqualTo(Long.parseLong(second.id()));
    assertThat(store.since("alice", first.id(), 10)).singleElement().satisfies(read -> {
      assertThat(read).isEqualTo(second);
      assertThat(read.recipients()).isEqualTo(to("alice"));
      assertThat(read.origin()).hasValue("bob");
      assertThat(read.data().path("text").asText()).isEqualTo("é <&> 😀");
    });
  }

  @Test
  void sinceReturnsWhatIsAddressedToTheClientInOrder() {
    append("all-1", Recipients.everyone(), null);
    Scribe second = append("alice-2", to("alice"), null);
    append("bob-3", to("bob"), null);
    append("all-4", Recipients.everyone(), null);
    append("both-5", to("alice", "bob"), null);

    assertThat(names(store.since("alice", null, 100))).containsExactly("all-1", "alice-2", "all-4", "both-5");
    assertThat(names(store.since("alice", second.id(), 100))).containsExactly("all-4", "both-5");
    assertThat(names(store.since("alice", second.id(), 1))).containsExactly("all-4");
    assertThat(names(store.since("carol", null, 100))).containsExactly("all-1", "all-4");
    assertThat(store.countSince("alice", second.id())).isEqualTo(2);
    assertThat(store.countSince("alice", null)).isEqualTo(4);
  }

  @Test
  void sinceLeavesOutWhatCameFromTheClient() {
    append("mine", Recipients.everyone(), "alice");
    Scribe theirs = append("theirs", Recipients.everyone(), "bob");
    append("mine-to-me", to("alice"), "alice");

    assertThat(names(store.since("alice", null, 100))).containsExactly("theirs");
    assertThat(store.countSince("alice", null)).isEqualTo(1);
    assertThat(store.lastIdFor("alice")).hasValue(theirs.id());
  }

  @Test
  void anUnknownCursorMeansFromTheStart() {
    append("a", Recipients.everyone(), null);
    Scribe last = append("b", Recipients.everyone(), null);

    assertThat(names(store.since("alice", "9f3c0a17", 100))).containsExactly("a", "b");
    assertThat(names(store.since("alice", "999999", 100))).containsExactly("a", "b");
    assertThat(names(store.since("alice", "", 100))).containsExactly("a", "b");
    assertThat(store.since("alice", last.id(), 100)).isEmpty();
  }

  @Test
  void lastIdForAClientWithNothingIsEmpty() {
    assertThat(store.lastIdFor("alice")).isEmpty();
    append("to-bob", to("bob"), null);
    assertThat(store.lastIdFor("alice")).isEmpty();
  }

  @Test
  void rangeReturnsEveryScribeBetweenTwoSequences() {
    Scribe a = append("a", to("alice"), null);
    append("b", to("bob"), "carol");
    Scribe c = append("c", Recipients.everyone(), null);

    assertThat(names(store.range(0, store.lastSequence()))).containsExactly("a", "b", "c");
    assertThat(names(store.range(Long.parseLong(a.id()), Long.parseLong(c.id()) - 1))).containsExactly("b");
    assertThat(store.range(store.lastSequence(), store.lastSequence() + 5)).isEmpty();
  }

  @Test
  void remembersClients() {
    assertThat(store.client("alice")).isEqualTo(ClientState.unknown("alice"));

    store.saveClient(new ClientState("alice", "7", false));
    store.saveClient(new ClientState("alice", "9", true));
    store.saveClient(ClientState.unknown("bob"));

    assertThat(store.client("alice")).isEqualTo(new ClientState("alice", "9", true));
    assertThat(store.clients()).containsExactlyInAnyOrder(
        new ClientState("alice", "9", true), ClientState.unknown("bob"));
  }

  @Test
  void keepsObjects() {
    store.putObject("Note", "n1", "{\"id\":\"n1\",\"title\":\"a\"}");
    store.putObject("Note", "n2", "{\"id\":\"n2\"}");
    store.putObject("Note", "n1", "{\"id\":\"n1\",\"title\":\"b\"}");
    store.putObject("Memo", "n1", "{\"id\":\"n1\"}");
    store.removeObject("Note", "n2");
    store.removeObject("Note", "missing");

    assertThat(store.object("Note", "n1")).hasValue("{\"id\":\"n1\",\"title\":\"b\"}");
    assertThat(store.object("Note", "n2")).isEmpty();
    assertThat(store.objects("Note")).containsExactly("{\"id\":\"n1\",\"title\":\"b\"}");
    assertThat(store.objects("Memo")).hasSize(1);
    assertThat(store.objects("Nothing")).isEmpty();
  }

  @Test
  void pagesThroughEveryObjectWithItsHistory() {
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < 250; i++) {
      String id = "n" + i;
      ids.add(id);
      store.putObject("Note", id, "{\"id\":\"" + id + "\"}");
      if (i % 3 == 0) {
        store.putObject(ObjectChange.HISTORY_PREFIX + "Note", id, "{\"created\":\"" + i + "\"}");
      }
    }
    store.putObject("Memo", "m1", "{\"id\":\"m1\"}");

    Map<String, ObjectPage.Entry> seen = new TreeMap<>();
    int pages = 0;
    String position = null;
    do {
      ObjectPage page = store.objectPage("Note", position, 40);
      page.objects().forEach(entry -> seen.put(entry.id(), entry));
      position = page.next();
      pages++;
    } while (position != null && pages < 1000);

    assertThat(seen.keySet()).isEqualTo(ids);
    if (!(store instanceof RedisStore)) {
      assertThat(pages).as("by id, 40 at a time (Redis decides its pages itself)").isEqualTo(7);
    }
    assertThat(seen.get("n3")).isEqualTo(
        new ObjectPage.Entry("n3", "{\"id\":\"n3\"}", "{\"created\":\"3\"}"));
    assertThat(seen.get("n4").history()).isNull();
    assertThat(store.objectCount("Note")).isEqualTo(250);
    assertThat(store.objectPage("Nothing", null, 40)).isEqualTo(new ObjectPage(List.of(), null));
  }

  @Test
  void saysHowMuchItKeeps() {
    append("a", Recipients.everyone(), null);
    append("b", to("alice"), null);
    store.putObject("Note", "n1", "{\"id\":\"n1\"}");
    store.putObject("Note", "n2", "{\"id\":\"n2\"}");
    store.putObject("Memo", "m1", "{\"id\":\"m1\"}");
    store.putObject(ObjectChange.HISTORY_PREFIX + "Note", "n1", "{\"created\":\"1.0.a\"}");
    store.putObject(ObjectChange.HISTORY_PREFIX + "Note", "n3", "{\"destroyed\":\"2.0.a\"}");
    store.putObject("~syncro", "clock", "{\"ceiling\":1}"); // the node's own: not a record

    StoreUsage usage = store.usage();

    assertThat(usage.scribes()).isEqualTo(2);
    assertThat(usage.records()).isEqualTo(3);
    assertThat(usage.tombstones()).as("n3's history, without n3").isEqualTo(1);
    if (store instanceof MemoryStore) {
      assertThat(usage.bytes()).isEqualTo(-1);
    } else {
      assertThat(usage.bytes()).isPositive();
    }
  }

  @Test
  void everythingSurvivesAReopen() throws Exception {
    append("a", Recipients.everyone(), null);
    Scribe b = append("b", to("alice"), "bob");
    store.saveClient(new ClientState("bob", "41", true));
    store.putObject("Note", "n1", "{\"id\":\"n1\"}");
    store.putObject("Note", "n2", "{\"id\":\"n2\"}");
    store.removeObject("Note", "n1");

    ScribeStore reopened = reopen(store);
    if (reopened == null) {
      return; // a store that keeps nothing has nothing to show here
    }
    store = reopened;

    assertThat(names(store.since("alice", null, 10))).containsExactly("a", "b");
    assertThat(store.since("alice", null, 10).get(1)).isEqualTo(b);
    assertThat(store.client("bob")).isEqualTo(new ClientState("bob", "41", true));
    assertThat(store.objects("Note")).containsExactly("{\"id\":\"n2\"}");
    Scribe next = append("c", Recipients.everyone(), null);
    assertThat(Long.parseLong(next.id())).isGreaterThan(Long.parseLong(b.id()));
  }

  @Test
  void appendsAScribeWithItsObjectChangeAndKeepsBothAcrossAReopen() throws Exception {
    Scribe create = scribe("n1", to("alice"), "bob");
    Scribe created = store.append(create, ObjectChange.put("Note", "n1", "{\"id\":\"n1\"}"));
    Scribe second = store.append(scribe("n2", Recipients.everyone(), null),
        ObjectChange.put("Note", "n2", "{\"id\":\"n2\"}"));
    Scribe removed = store.append(scribe("n2", Recipients.everyone(), null),
        ObjectChange.remove("Note", "n2"));

    assertThat(store.since("alice", null, 10)).extracting(Scribe::id)
        .containsExactly(created.id(), second.id(), removed.id());
    assertThat(store.since("alice", null, 10).get(0)).isEqualTo(created);
    assertThat(store.objects("Note")).containsExactly("{\"id\":\"n1\"}");

    ScribeStore reopened = reopen(store);
    if (reopened == null) {
      return;
    }
    store = reopened;
    assertThat(store.since("alice", null, 10).get(0)).isEqualTo(created);
    assertThat(store.since("carol", null, 10)).containsExactly(second, removed);
    assertThat(store.objects("Note")).containsExactly("{\"id\":\"n1\"}");
  }

  @Test
  void keepsAStampedScribeAndItsRecordsHistoryInTheSameAppendAcrossAReopen() throws Exception {
    Stamp stamp = new Stamp(1_764_339_600_000L, 2, "alice");
    String history = "{\"created\":\"" + stamp + "\",\"fields\":{\"title\":\"" + stamp + "\"}}";
    Scribe stamped = store.append(scribe("n1", Recipients.everyone(), null).toBuilder()
        .stamp(stamp).build(), ObjectChange.put("Note", "n1", "{\"id\":\"n1\"}").withHistory(history)
        .withClient(new ClientState("bob", "41", true)));
    Scribe removed = store.append(scribe("n1", Recipients.everyone(), null),
        ObjectChange.remove("Note", "n1").withHistory("{\"destroyed\":\"" + stamp + "\"}"));

    assertThat(store.since("alice", null, 10)).containsExactly(stamped, removed);
    assertThat(stamped.stamp()).contains(stamp);
    assertThat(store.objects("Note")).isEmpty();
    assertThat(store.object(ObjectChange.HISTORY_PREFIX + "Note", "n1"))
        .as("the history outlives its record: it is the tombstone").contains("{\"destroyed\":\"" + stamp + "\"}");
    assertThat(store.client("bob")).as("the cursor of the peer the change came from, in the same append")
        .isEqualTo(new ClientState("bob", "41", true));

    ScribeStore reopened = reopen(store);
    if (reopened == null) {
      return;
    }
    store = reopened;
    assertThat(store.since("alice", null, 10)).containsExactly(stamped, removed);
    assertThat(store.object(ObjectChange.HISTORY_PREFIX + "Note", "n1"))
        .contains("{\"destroyed\":\"" + stamp + "\"}");
    assertThat(store.client("bob")).isEqualTo(new ClientState("bob", "41", true));
  }

  @Test
  void writesAChangeExpectingNothingStoredOnlyWhereNothingIs() {
    store.putObject("Note", "bare", "{\"id\":\"bare\"}"); // a record without a history
    store.putObject(ObjectChange.HISTORY_PREFIX + "Note", "gone", "{\"destroyed\":\"1.0.a\"}");
    long before = store.lastSequence();

    for (String id : List.of("bare", "gone")) {
      assertThatThrownBy(() -> store.append(scribe(id, Recipients.everyone(), null),
          ObjectChange.put("Note", id, "{\"id\":\"" + id + "\",\"new\":true}")
              .withHistory("{\"created\":\"2.0.b\"}").ifNothingStored()))
          .as(id).isInstanceOf(ConcurrentChangeException.class);
    }
    Scribe created = store.append(scribe("new", Recipients.everyone(), null),
        ObjectChange.put("Note", "new", "{\"id\":\"new\"}")
            .withHistory("{\"created\":\"2.0.b\"}").ifNothingStored());

    assertThat(store.lastSequence()).as("only the last was written").isEqualTo(before + 1);
    assertThat(Long.parseLong(created.id())).isEqualTo(before + 1);
    assertThat(store.object("Note", "bare")).contains("{\"id\":\"bare\"}");
    assertThat(store.object("Note", "gone")).isEmpty();
    assertThat(store.object("Note", "new")).contains("{\"id\":\"new\"}");
  }

  @Test
  void readsAnObjectAndItsHistoryTogether() {
    assertThat(store.objectWithHistory("Note", "n1")).isEqualTo(new StoredRecord(null, null));
    store.append(scribe("n1", Recipients.everyone(), null),
        ObjectChange.put("Note", "n1", "{\"id\":\"n1\"}").withHistory("{\"fields\":{}}"));
    assertThat(store.objectWithHistory("Note", "n1"))
        .isEqualTo(new StoredRecord("{\"id\":\"n1\"}", "{\"fields\":{}}"));

    store.append(scribe("n1", Recipients.everyone(), null), ObjectChange.remove("Note", "n1"));
    assertThat(store.objectWithHistory("Note", "n1")).as("a destroyed record's history stays")
        .isEqualTo(new StoredRecord(null, "{\"fields\":{}}"));
    store.putObject("Note", "n2", "{\"id\":\"n2\"}");
    assertThat(store.objectWithHistory("Note", "n2")).as("an object stored without a history")
        .isEqualTo(new StoredRecord("{\"id\":\"n2\"}", null));
  }

  // ---- retention ----

  private static final java.time.Instant NOW =
      java.time.Instant.ofEpochMilli(System.currentTimeMillis());

  /** Ten scribes: n1..n9 created, n2 destroyed by the fifth; returns them. */
  private List<Scribe> tenScribesWithATombstone() {
    List<Scribe> appended = new java.util.ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      String id = "n" + (n == 5 ? 2 : n);
      ObjectChange change = n == 5
          ? ObjectChange.remove("Note", id).withHistory("{\"destroyed\":true}")
          : ObjectChange.put("Note", id, "{\"id\":\"" + id + "\"}").withHistory("{\"of\":\"" + id + "\"}");
      appended.add(store.append(scribe(id, n % 2 == 0 ? to("alice") : Recipients.everyone(), null), change));
    }
    return appended;
  }

  @Test
  void aTrimByCountKeepsTheNewestScribesAndEveryRecord() throws Exception {
    List<Scribe> appended = tenScribesWithATombstone();
    long last = store.lastSequence();

    TrimResult trimmed = store.trim(Retention.forever().maxScribes(4), Long.MAX_VALUE, NOW);

    assertThat(trimmed.scribesDropped()).isEqualTo(6);
    assertThat(store.firstSequence()).isEqualTo(trimmed.firstSequence()).isEqualTo(last - 3);
    assertThat(store.lastSequence()).as("ids are never reused").isEqualTo(last);
    assertThat(store.range(0, last)).containsExactlyElementsOf(appended.subList(6, 10));
    assertThat(store.since("alice", appended.get(7).id(), 10)).containsExactlyElementsOf(appended.subList(8, 10));
    assertThat(store.since("bob", null, 10)).as("what is kept, to everyone")
        .containsExactly(appended.get(6), appended.get(8));
    assertThat(store.objects("Note")).as("records are state, not history: all stay").hasSize(8);
    assertThat(store.object(ObjectChange.HISTORY_PREFIX + "Note", "n2"))
        .as("the destroy of n2 was dropped, so its tombstone goes with it").isEmpty();
    assertThat(store.object(ObjectChange.HISTORY_PREFIX + "Note", "n3")).contains("{\"of\":\"n3\"}");
    StoreUsage usage = store.usage();
    assertThat(usage.scribes()).isEqualTo(4);
    assertThat(usage.tombstones()).isZero();
    assertThat(usage.firstSequence()).isEqualTo(last - 3);
    assertThat(usage.lastTrimmed()).isEqualTo(NOW);

    Scribe next = append("after", Recipients.everyone(), null);
    assertThat(Long.parseLong(next.id())).isEqualTo(last + 1);

    ScribeStore reopened = reopen(store);
    if (reopened == null) {
      return;
    }
    store = reopened;
    assertThat(store.firstSequence()).isEqualTo(last - 3);
    assertThat(store.range(0, last + 1)).extracting(Scribe::id)
        .containsExactly(appended.get(6).id(), appended.get(7).id(), appended.get(8).id(),
            appended.get(9).id(), next.id());
    assertThat(store.objects("Note")).hasSize(8);
    assertThat(store.usage().tombstones()).isZero();
    assertThat(store.usage().lastTrimmed()).isEqualTo(NOW);
    assertThat(Long.parseLong(append("later", Recipients.everyone(), null).id())).isEqualTo(last + 2);
  }

  @Test
  void aTombstoneStaysAsLongAsTheScribeThatDestroyedItsRecord() {
    List<Scribe> appended = tenScribesWithATombstone();
    long destroy = Long.parseLong(appended.get(4).id());

    store.trim(Retention.forever().maxScribes(0), destroy, NOW);

    assertThat(store.firstSequence()).isEqualTo(destroy);
    assertThat(store.object(ObjectChange.HISTORY_PREFIX + "Note", "n2")).contains("{\"destroyed\":true}");
    assertThat(store.usage().tombstones()).isEqualTo(1);

    store.trim(Retention.forever().maxScribes(0), destroy + 1, NOW);
    assertThat(store.object(ObjectChange.HISTORY_PREFIX + "Note", "n2")).isEmpty();
    assertThat(store.usage().tombstones()).isZero();
  }

  @Test
  void aTrimByAgeDropsWhatIsOlderAndNeverWhatASessionStillNeeds() {
    List<Scribe> appended = tenScribesWithATombstone();
    Retention aDay = Retention.forever().maxAge(java.time.Duration.ofDays(1));
    long last = store.lastSequence();

    assertThat(store.trim(aDay, Long.MAX_VALUE, NOW).scribesDropped())
        .as("nothing is a day old yet").isZero();
    assertThat(store.usage().lastTrimmed()).as("nothing was dropped").isNull();

    long needed = Long.parseLong(appended.get(3).id());
    store.trim(aDay, needed, NOW.plus(java.time.Duration.ofDays(2)));
    assertThat(store.firstSequence()).as("a session still sends from there").isEqualTo(needed);

    store.trim(aDay, Long.MAX_VALUE, NOW.plus(java.time.Duration.ofDays(2)));
    assertThat(store.firstSequence()).as("all are two days old").isEqualTo(last + 1);
    assertThat(store.range(0, last)).isEmpty();
    assertThat(store.since("alice", null, 10)).isEmpty();
    assertThat(store.objects("Note")).hasSize(8);
    assertThat(store.usage().scribes()).isZero();
  }

  private static Scribe scribe(String name, Recipients recipients, String origin) {
    return Scribe.builder()
        .klass("Note")
        .type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", name))
        .recipients(recipients)
        .origin(origin)
        .build();
  }
}
