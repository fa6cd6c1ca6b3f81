package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Stamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any order of delivery of the same stamped changes, with duplicates, leaves every node with the
 * same record: the merge is commutative and idempotent.
 */
class LastWriterWinsProperties {

  /** One stamped change of the record "r" with fields a and b. */
  record Change(ScribeType type, String a, String b, Stamp stamp) {
    ObjectNode fields() {
      ObjectNode fields = Json.NODES.objectNode();
      if (type == ScribeType.CREATE) {
        fields.put("id", "r");
      }
      if (a != null) {
        fields.put("a", a);
      }
      if (b != null) {
        fields.put("b", b);
      }
      return fields;
    }
  }

  /** A node's copy: the record's values (null when it does not exist) and its history. */
  static final class Replica {
    ObjectNode values;
    final RecordHistory history = new RecordHistory();

    void apply(Change change) {
      LastWriterWins.Effect effect = LastWriterWins.apply(
          history, change.type(), change.fields(), change.stamp(), values, "id");
      if (effect.type() == null) {
        return;
      }
      switch (effect.type()) {
        case CREATE -> values = effect.fields().deepCopy();
        case UPDATE -> values.setAll(effect.fields());
        case DESTROY -> values = null;
        default -> throw new AssertionError(effect.type());
      }
    }

    /** Compared as JSON trees: equal whatever the order of their keys. */
    List<Object> state() {
      try {
        assertThat(RecordHistory.read(history.toJsonText()).toJson())
            .as("the stored text read back").isEqualTo(history.toJson());
        assertThat(RecordHistory.fromJson(history.toJson()).toJson()).as("read back")
            .isEqualTo(history.toJson());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
      return List.of(values == null ? "absent" : values, history.toJson());
    }
  }

  @Provide
  Arbitrary<List<Change>> changes() {
    Arbitrary<ScribeType> types = Arbitraries.of(ScribeType.CREATE, ScribeType.UPDATE,
        ScribeType.UPDATE, ScribeType.DESTROY);
    Arbitrary<String> values = Arbitraries.of("x", "y", "z").injectNull(0.4);
    Arbitrary<Stamp> stamps = Combinators.combine(
        Arbitraries.longs().between(1, 5), Arbitraries.integers().between(0, 2),
        Arbitraries.of("alice", "bob", "server")).as(Stamp::new);
    return Combinators.combine(types, values, values, stamps).as(Change::new)
        .list().ofMinSize(1).ofMaxSize(12)
        // One stamp is one change: a node never stamps two changes alike.
        .uniqueElements(Change::stamp);
  }

  @Property(tries = 2_000)
  void anyOrderWithDuplicatesGivesTheSameRecord(
      @ForAll("changes") List<Change> changes, @ForAll long seed) {
    Replica inOrder = new Replica();
    changes.forEach(inOrder::apply);

    List<Change> shuffled = new ArrayList<>(changes);
    Random random = new Random(seed);
    for (int i = 0; i < changes.size() / 2 + 1; i++) {
      shuffled.add(changes.get(random.nextInt(changes.size()))); // delivered twice
    }
    Collections.shuffle(shuffled, random);
    Replica anyOrder = new Replica();
    shuffled.forEach(anyOrder::apply);

    assertThat(anyOrder.state()).isEqualTo(inOrder.state());
  }

  @Property(tries = 500)
  void theRecordExistsExactlyWhenItsLatestCreateIsLaterThanItsLatestDestroy(
      @ForAll("changes") List<Change> changes) {
    Replica replica = new Replica();
    changes.forEach(replica::apply);

    Stamp create = changes.stream().filter(c -> c.type() == ScribeType.CREATE)
        .map(Change::stamp).max(Stamp::compareTo).orElse(null);
    Stamp destroy = changes.stream().filter(c -> c.type() == ScribeType.DESTROY)
        .map(Change::stamp).max(Stamp::compareTo).orElse(null);
    assertThat(replica.values != null).isEqualTo(create != null && create.isAfter(destroy));
  }
}
