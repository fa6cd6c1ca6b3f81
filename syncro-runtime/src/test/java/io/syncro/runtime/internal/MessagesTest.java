package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message, byte for byte as the original writes it. */
class MessagesTest {

  @Test
  void messagesKeepTheOriginalsKeyOrder() {
    assertThat(Messages.sync(null, 1)).isEqualTo("{\"type\":\"sync\",\"from\":null,\"id\":1}");
    assertThat(Messages.sync("5a1f", 2)).isEqualTo("{\"type\":\"sync\",\"from\":\"5a1f\",\"id\":2}");
    assertThat(Messages.addScribe("{\"klass\":\"T\"}", 3))
        .isEqualTo("{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"T\"},\"id\":3}");
    assertThat(Messages.rpc("Syncro::RPC::Default", "last_scribe_id", Json.NODES.arrayNode(), 4))
        .isEqualTo("{\"type\":\"rpc\",\"klass\":\"Syncro::RPC::Default\",\"method\":\"last_scribe_id\",\"args\":[],\"id\":4}");
    assertThat(Messages.noop(5)).isEqualTo("{\"type\":\"noop\",\"id\":5}");
    assertThat(Messages.response(6, BooleanNode.TRUE))
        .isEqualTo("{\"type\":\"response\",\"id\":6,\"result\":true}");
    assertThat(Messages.error(403, null, null)).isEqualTo("{\"type\":\"error\",\"code\":403}");
    assertThat(Messages.error(0, 7L, "why")).isEqualTo("{\"type\":\"error\",\"code\":0,\"id\":7,\"message\":\"why\"}");
    assertThat(Messages.syncResponse(8, List.of("{\"a\":1}", "{\"b\":2}"), 10, null))
        .isEqualTo("{\"type\":\"response\",\"id\":8,\"result\":[{\"a\":1},{\"b\":2}],\"total\":10}");
    assertThat(Messages.sync("9", true, 3)).isEqualTo("{\"type\":\"sync\",\"from\":\"9\",\"page\":true,\"id\":3}");
    assertThat(Messages.syncResponse(4, List.of("{\"a\":1}"), 10, "17"))
        .isEqualTo("{\"type\":\"response\",\"id\":4,\"result\":[{\"a\":1}],\"total\":10,\"next\":\"17\"}");
  }

  @Test
  void framesWithABigEndianByteCount() {
    byte[] frame = Messages.frame("x".repeat(258));

    assertThat(frame).hasSize(260);
    assertThat(frame[0]).isEqualTo((byte) 1);
    assertThat(frame[1]).isEqualTo((byte) 2);
  }

  @Test
  void envelopesAreSizedForTheLongestIds() {
    assertThat(Messages.ADD_SCRIBE_ENVELOPE)
        .isEqualTo(Messages.addScribe("", Long.MAX_VALUE).length())
        .isGreaterThan(40);
    assertThat(Messages.SYNC_RESPONSE_ENVELOPE).isGreaterThan(60);
  }
}
