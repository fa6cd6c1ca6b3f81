package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the peer's messages into typed ones, and what each shape problem becomes. */
class InboundMessageTest {

  @Test
  void requestsOfEachKnownType() {
    assertThat(InboundMessage.parse("{\"type\":\"sync\",\"from\":\"12\",\"page\":true,\"id\":3}"))
        .isEqualTo(new InboundMessage.Sync(3, "12", true));
    assertThat(InboundMessage.parse("{\"type\":\"sync\",\"from\":12,\"id\":3}"))
        .as("the original's numeric ids").isEqualTo(new InboundMessage.Sync(3, "12", false));
    assertThat(InboundMessage.parse("{\"type\":\"sync\",\"from\":\"\",\"id\":3}"))
        .isEqualTo(new InboundMessage.Sync(3, null, false));
    assertThat(InboundMessage.parse("{\"type\":\"noop\",\"id\":4}")).isEqualTo(new InboundMessage.Noop(4));
    assertThat(InboundMessage.parse("{\"type\":\"auth\",\"token\":7,\"id\":5}"))
        .as("a token that is not a string is no token").isEqualTo(new InboundMessage.Auth(5, null));
    assertThat(InboundMessage.parse("{\"type\":\"rpc\",\"klass\":\"K\",\"method\":\"m\",\"id\":6}"))
        .isInstanceOfSatisfying(InboundMessage.Rpc.class, rpc -> assertThat(rpc.args()).isEmpty());
  }

  @Test
  void aKnownRequestOfTheWrongShapeIsAnsweredNotDropped() {
    assertThat(InboundMessage.parse("{\"type\":\"sync\",\"from\":[1],\"id\":3}"))
        .isEqualTo(new InboundMessage.Malformed("sync", 3, "sync from must be a scribe id or null"));
    assertThat(InboundMessage.parse("{\"type\":\"add_scribe\",\"scribe\":\"x\",\"id\":3}"))
        .isInstanceOf(InboundMessage.Malformed.class);
    assertThat(InboundMessage.parse("{\"type\":\"rpc\",\"klass\":\"K\",\"method\":\"m\",\"args\":{},\"id\":3}"))
        .isInstanceOf(InboundMessage.Malformed.class);
  }

  @Test
  void whatCannotBeAnsweredIsIgnoredWithAReason() {
    assertThat(InboundMessage.parse("not json")).isInstanceOf(InboundMessage.Ignored.class);
    assertThat(InboundMessage.parse("[1]")).isEqualTo(new InboundMessage.Ignored("that is not a JSON object"));
    assertThat(InboundMessage.parse("{\"id\":1}")).isEqualTo(new InboundMessage.Ignored("without a type"));
    assertThat(InboundMessage.parse("{\"type\":\"noop\",\"id\":\"1\"}"))
        .isEqualTo(new InboundMessage.Ignored("a noop request without a numeric id"));
    assertThat(InboundMessage.parse("{\"type\":\"dance\",\"id\":1}")).isEqualTo(new InboundMessage.Unknown("dance", 1));
  }

  @Test
  void answersWithAndWithoutIds() {
    assertThat(InboundMessage.parse("{\"type\":\"response\",\"result\":true,\"id\":9}"))
        .isInstanceOfSatisfying(InboundMessage.Response.class, response -> {
          assertThat(response.id()).isEqualTo(9L);
          assertThat(response.result().asBoolean()).isTrue();
        });
    assertThat(InboundMessage.parse("{\"type\":\"error\",\"code\":403}"))
        .as("the original's errors carry no id").isEqualTo(new InboundMessage.Error(null, 403, null));
  }
}
