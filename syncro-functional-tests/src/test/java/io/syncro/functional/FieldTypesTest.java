package io.syncro.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.InMemoryRepository;
import io.syncro.runtime.InvalidScribeException;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.ScribeRecorder;
import io.syncro.runtime.SyncModel;
import io.syncro.runtime.SyncModels;
import io.syncro.runtime.SyncedRepository;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every kind of class and field the processor supports, recorded on one node, carried as JSON
 * text and replayed on another.
 */
class FieldTypesTest {

  /** Two nodes of one class, with the scribes in flight between them. */
  private static final class Link<T, ID> {
    final SyncModel<T, ID> model;
    final List<String> wire = new ArrayList<>();
    final SyncedRepository<T, ID> a;
    final SyncedRepository<T, ID> b;

    Link(Class<T> type, Class<ID> idType) {
      model = SyncModels.of(type, idType);
      a = new SyncedRepository<>(model, new InMemoryRepository<>(model), ScribeRecorder.to(s -> wire.add(s.toJson())));
      b = new SyncedRepository<>(model, new InMemoryRepository<>(model), ScribeRecorder.to(s -> { }));
    }

    /** Replays what is in flight on B; returns the JSON of the last scribe. */
    String carry() {
      String last = wire.isEmpty() ? null : wire.get(wire.size() - 1);
      wire.forEach(json -> b.replay(Scribe.fromJson(json)));
      wire.clear();
      return last;
    }
  }

  @Test
  void records() {
    Link<Point, Long> link = new Link<>(Point.class, Long.class);
    link.a.save(new Point(1L, 3, 4, List.of("origin"), "cached"));
    assertThat(link.carry()).isEqualTo("{\"klass\":\"Pt\",\"type\":\"create\","
        + "\"data\":{\"id\":1,\"x\":3,\"y\":4,\"labels\":[\"origin\"]}}");

    link.a.save(new Point(1L, 3, 5, List.of("origin"), "other cache"));
    assertThat(link.carry()).isEqualTo("{\"klass\":\"Pt\",\"type\":\"update\",\"data\":[1,{\"y\":5}]}");

    assertThat(link.b.find(1L)).hasValue(new Point(1L, 3, 5, List.of("origin"), null));
    link.a.delete(1L);
    link.carry();
    assertThat(link.b.findAll()).isEmpty();
  }

  @Test
  void javaBeansWithAUuidId() {
    Link<Account, UUID> link = new Link<>(Account.class, UUID.class);
    Account account = new Account();
    account.setNumber(UUID.fromString("0b7e4f3c-1c9e-4f7e-9d1a-5a0c3b2e1f00"));
    account.setHolder("Ada");
    account.setBalance(new BigDecimal("12345678901234567890.123456789012345678901"));
    link.a.save(account);
    link.carry();

    account.setFrozen(true);
    link.a.save(account);
    assertThat(link.carry()).contains("[\"0b7e4f3c-1c9e-4f7e-9d1a-5a0c3b2e1f00\",{\"frozen\":true}]");

    Account replayed = link.b.find(account.getNumber()).orElseThrow();
    assertThat(replayed.getHolder()).isEqualTo("Ada");
    assertThat(replayed.isFrozen()).isTrue();
    assertThat(replayed.getBalance())
        .isEqualTo(new BigDecimal("12345678901234567890.123456789012345678901"));
  }

  @Test
  void aDecimalKeepsItsScaleOnThePeer() {
    // 1.50 and 1.5 are the same number but not equal BigDecimals: an amount of money shown as
    // "1.5" on one replica and "1.50" on another is a replica that differs.
    Link<Account, UUID> link = new Link<>(Account.class, UUID.class);
    Account account = new Account();
    account.setNumber(UUID.fromString("5d0f3a52-8a8e-4c6b-9b55-0d5b8b1f2a10"));
    account.setBalance(new BigDecimal("1.50"));
    link.a.save(account);
    assertThat(link.carry()).contains("\"balance\":1.50");
    assertThat(link.b.find(account.getNumber()).orElseThrow().getBalance())
        .isEqualTo(new BigDecimal("1.50"));

    account.setBalance(new BigDecimal("2.000"));
    link.a.save(account);
    link.carry();
    assertThat(link.b.find(account.getNumber()).orElseThrow().getBalance())
        .isEqualTo(new BigDecimal("2.000"));
  }

  @Test
  void inheritanceGenericsEnumsTimeMapsArraysAndNestedObjects() {
    Link<Task, String> link = new Link<>(Task.class, String.class);
    Task task = new Task();
    task.id = "t1";
    task.updatedAt = Instant.parse("2026-11-27T10:15:30.123456789Z");
    task.value = 7;
    task.priority = Task.Priority.HIGH;
    task.due = LocalDate.of(2026, 12, 24);
    task.estimate = Duration.ofMinutes(90);
    task.votes = new LinkedHashMap<>(Map.of("ada", 2));
    task.steps = new Task.Step[] {new Task.Step("plan", true)};
    task.place = new Address("Main Street", 12);
    task.localHandle = new Object();
    link.a.save(task);

    String create = link.carry();
    assertThat(create).isEqualTo("{\"klass\":\"Task\",\"type\":\"create\",\"data\":{"
        + "\"id\":\"t1\",\"updatedAt\":\"2026-11-27T10:15:30.123456789Z\",\"value\":7,"
        + "\"priority\":\"HIGH\",\"due\":\"2026-12-24\",\"estimate\":\"PT1H30M\","
        + "\"votes\":{\"ada\":2},\"steps\":[{\"what\":\"plan\",\"done\":true}],"
        + "\"place\":{\"street\":\"Main Street\",\"number\":12}}}");
    Task replayed = link.b.find("t1").orElseThrow();
    assertThat(replayed.updatedAt).isEqualTo(task.updatedAt);
    assertThat(replayed.value).isEqualTo(7);
    assertThat(replayed.priority).isEqualTo(Task.Priority.HIGH);
    assertThat(replayed.due).isEqualTo(task.due);
    assertThat(replayed.estimate).isEqualTo(task.estimate);
    assertThat(replayed.votes).isEqualTo(task.votes);
    assertThat(replayed.steps).singleElement().satisfies(step -> {
      assertThat(step.what).isEqualTo("plan");
      assertThat(step.done).isTrue();
    });
    assertThat(replayed.place.street).isEqualTo("Main Street");
    assertThat(replayed.localHandle).as("left out of sync").isNull();

    // Nested objects without equals of their own are compared by their JSON: unchanged ones are
    // not reported, changed ones are.
    assertThat(link.a.save(task)).isEmpty();
    task.place.number = 14;
    task.steps[0].done = false;
    link.a.save(task);
    assertThat(link.carry()).isEqualTo("{\"klass\":\"Task\",\"type\":\"update\",\"data\":[\"t1\","
        + "{\"steps\":[{\"what\":\"plan\",\"done\":false}],"
        + "\"place\":{\"street\":\"Main Street\",\"number\":14}}]}");
    assertThat(link.b.find("t1").orElseThrow().place.number).isEqualTo(14);
  }

  @Test
  void nullsRoundTrip() {
    Link<Task, String> link = new Link<>(Task.class, String.class);
    Task task = new Task();
    task.id = "t1";
    task.priority = Task.Priority.LOW;
    task.votes = Map.of("ada", 1);
    link.a.save(task);
    link.carry();

    task.priority = null;
    task.votes = null;
    link.a.save(task);
    assertThat(link.carry()).contains("{\"priority\":null,\"votes\":null}");

    Task replayed = link.b.find("t1").orElseThrow();
    assertThat(replayed.priority).isNull();
    assertThat(replayed.votes).isNull();
  }

  @Test
  void primitivesOfANestedStaticClass() {
    Link<Task.Comment, Long> link = new Link<>(Task.Comment.class, Long.class);
    Task.Comment comment = new Task.Comment();
    comment.id = 5;
    comment.mark = 'é';
    comment.score = Double.NaN;
    comment.weight = 0.5f;
    comment.level = -3;
    link.a.save(comment);

    assertThat(link.carry()).isEqualTo("{\"klass\":\"TaskComment\",\"type\":\"create\",\"data\":"
        + "{\"id\":5,\"mark\":\"\\u00e9\",\"score\":\"NaN\",\"weight\":0.5,\"level\":-3}}");
    assertThat(link.a.save(comment)).as("NaN is unchanged").isEmpty();

    Task.Comment replayed = link.b.find(5L).orElseThrow();
    assertThat(replayed.mark).isEqualTo('é');
    assertThat(replayed.score).isNaN();
    assertThat(replayed.weight).isEqualTo(0.5f);
    assertThat(replayed.level).isEqualTo((byte) -3);
  }

  @Test
  void destroysOfAClassThatExceptsThemAreNotRecorded() {
    Link<Task, String> link = new Link<>(Task.class, String.class);
    Task task = new Task();
    task.id = "t1";
    link.a.save(task);

    assertThat(link.a.delete("t1")).isEmpty();
    assertThat(link.a.findAll()).isEmpty();
    assertThat(link.model.records(ScribeType.DESTROY)).isFalse();
    assertThat(link.model.records(ScribeType.UPDATE)).isTrue();
  }

  @Test
  void badDataIsRefusedAndChangesNothing() {
    Link<Task, String> link = new Link<>(Task.class, String.class);
    Task task = new Task();
    task.id = "t1";
    task.priority = Task.Priority.LOW;
    task.due = LocalDate.of(2026, 1, 1);
    link.b.save(task);

    // The first field is fine, the second is not: neither may be applied.
    Scribe partlyBad = Scribe.fromJson("{\"klass\":\"Task\",\"type\":\"update\",\"data\":"
        + "[\"t1\",{\"priority\":\"HIGH\",\"due\":\"next week\"}]}");
    assertThatThrownBy(() -> link.b.replay(partlyBad))
        .isInstanceOf(InvalidScribeException.class)
        .hasMessageStartingWith("Task.due: cannot read string \"next week\"");

    for (String bad : List.of(
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":[\"t1\",{\"priority\":\"URGENT\"}]}",
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":[\"t1\",{\"votes\":[1,2]}]}",
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":[\"t1\",{\"value\":\"seven\"}]}",
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":{\"id\":\"t1\"}}",
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":[\"t1\"]}",
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":[null,{}]}",
        "{\"klass\":\"Task\",\"type\":\"update\",\"data\":[[\"t1\"],{}]}",
        "{\"klass\":\"Task\",\"type\":\"destroy\",\"data\":{}}",
        "{\"klass\":\"Task\",\"type\":\"destroy\",\"data\":[]}",
        "{\"klass\":\"Task\",\"type\":\"create\",\"data\":[\"t2\"]}",
        "{\"klass\":\"Task\",\"type\":\"create\",\"data\":{\"priority\":\"LOW\"}}",
        "{\"klass\":\"Task\",\"type\":\"create\",\"data\":{\"id\":\"t2\",\"due\":5}}",
        "{\"klass\":\"Note\",\"type\":\"create\",\"data\":{\"id\":\"t2\"}}")) {
      assertThatThrownBy(() -> link.b.replay(Scribe.fromJson(bad)))
          .as(bad)
          .isInstanceOf(InvalidScribeException.class);
    }

    assertThat(link.b.findAll()).singleElement().satisfies(stored -> {
      assertThat(stored.priority).isEqualTo(Task.Priority.LOW);
      assertThat(stored.due).isEqualTo(LocalDate.of(2026, 1, 1));
    });
  }

  @Test
  void theTargetIdOfAnyScribeCanBeRead() {
    SyncModel<Point, Long> model = SyncModels.of(Point.class, Long.class);
    Scribe create = model.recordCreate(new Point(9L, 0, 0, List.of(), null)).orElseThrow();
    Scribe destroy = model.recordDestroy(new Point(9L, 0, 0, List.of(), null)).orElseThrow();

    assertThat(model.targetId(create)).isEqualTo(9L);
    assertThat(model.targetId(destroy)).isEqualTo(9L);
    JsonNode data = destroy.data();
    assertThat(data.toString()).isEqualTo("[9]");
  }
}
