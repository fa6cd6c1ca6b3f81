package io.syncro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipientsTest {

  @Test
  void everyoneIncludesAnyClient() {
    assertThat(Recipients.everyone().includes("anyone")).isTrue();
    assertThat(Recipients.everyone().isEveryone()).isTrue();
    assertThatThrownBy(() -> Recipients.everyone().uids()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void namedRecipientsIncludeOnlyThoseNamed() {
    Recipients recipients = Recipients.of(List.of("alice", "bob"));

    assertThat(recipients.includes("alice")).isTrue();
    assertThat(recipients.includes("carol")).isFalse();
    assertThat(recipients.uids()).containsExactly("alice", "bob");
  }

  @Test
  void anEmptyCollectionMeansNobody() {
    Recipients nobody = Recipients.of(List.of());

    assertThat(nobody.isEveryone()).isFalse();
    assertThat(nobody.includes("alice")).isFalse();
  }

  @Test
  void keepsItsOwnCopy() {
    List<String> uids = new ArrayList<>(List.of("alice"));
    Recipients recipients = Recipients.of(uids);

    uids.add("mallory");

    assertThat(recipients.includes("mallory")).isFalse();
    assertThatThrownBy(() -> recipients.uids().add("mallory"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesNullUids() {
    assertThatThrownBy(() -> Recipients.of(Arrays.asList("alice", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("uid");
  }
}
