package io.syncro.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncro.runtime.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final FrameDecoder decoder = new FrameDecoder(Messages.MAX_FRAME_BYTES);
  private final List<String> frames = new ArrayList<>();

  private void feed(byte[] bytes, int from, int to) {
    decoder.feed(bytes, from, to - from, payload -> frames.add(new String(payload, StandardCharsets.UTF_8)));
  }

  private static byte[] stream(String... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String message : messages) {
      out.writeBytes(Messages.frame(message));
    }
    return out.toByteArray();
  }

  @Test
  void splitsGluedFrames() {
    byte[] bytes = stream("{\"a\":1}", "{\"b\":2}", "{}");

    feed(bytes, 0, bytes.length);

    assertThat(frames).containsExactly("{\"a\":1}", "{\"b\":2}", "{}");
  }

  @Test
  void joinsFramesSplitAnywhereTheLengthIncluded() {
    byte[] bytes = stream("{\"a\":1}", "x".repeat(300), "{\"c\":3}");
    for (int cut = 0; cut <= bytes.length; cut++) {
      frames.clear();
      feed(bytes, 0, cut);
      feed(bytes, cut, bytes.length);
      assertThat(frames).as("cut at %d", cut).containsExactly("{\"a\":1}", "x".repeat(300), "{\"c\":3}");
    }
  }

  @Test
  void takesOneByteAtATime() {
    byte[] bytes = stream("{\"a\":1}", "{\"b\":2}");

    for (int i = 0; i < bytes.length; i++) {
      feed(bytes, i, i + 1);
    }

    assertThat(frames).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(decoder.hasPartialFrame()).isFalse();
  }

  @Test
  void handsOverAnEmptyFrame() {
    feed(new byte[] {0, 0, 0, 2, '{', '}'}, 0, 6);

    assertThat(frames).containsExactly("", "{}");
  }

  @Test
  void refusesAFrameOverItsLimitBeforeBufferingIt() {
    FrameDecoder small = new FrameDecoder(100);

    assertThatThrownBy(() -> small.feed(new byte[] {(byte) 0xFF, (byte) 0xFF}, 0, 2, payload -> { }))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("65535")
        .hasMessageContaining("100");
  }

  @Test
  void resetDropsAPartialFrame() {
    byte[] bytes = stream("{\"a\":1}");
    feed(bytes, 0, 4);
    assertThat(decoder.hasPartialFrame()).isTrue();

    decoder.reset();
    feed(stream("{}"), 0, 4);

    assertThat(frames).containsExactly("{}");
  }

  @Test
  void aPartialFrameHoldsWhatArrivedNotWhatWasAnnounced() {
    // Three bytes announcing the longest frame there is.
    feed(new byte[] {(byte) 0xFF, (byte) 0xFF, '{'}, 0, 3);
    assertThat(decoder.hasPartialFrame()).isTrue();
    assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(256);

    // It grows as the frame comes in, and the frame arrives whole.
    byte[] body = ("\"a\":\"" + "x".repeat(65_535 - 8) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(body.length).isEqualTo(65_535 - 1);
    for (int at = 0; at < body.length; at += 1_000) {
      feed(body, at, Math.min(body.length, at + 1_000));
      assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(Math.max(256, 2 * (at + 1_001)));
    }
    assertThat(frames).singleElement().satisfies(frame -> assertThat(frame).hasSize(65_535));
    assertThat(decoder.bufferedBytes()).isZero();
  }

  @Test
  void aLowerLimitAppliesFromTheNextFrame() {
    decoder.setMaxFrameBytes(16);
    byte[] bytes = stream("x".repeat(17));

    assertThatThrownBy(() -> feed(bytes, 0, bytes.length)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("longer than the 16 accepted");
  }
}
