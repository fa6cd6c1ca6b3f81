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

  // ---- an original peer's frames over 64 KiB, whose length it writes modulo 65,536 ----

  /** A frame as the original writes it: the length's low 16 bits, then every byte. */
  private static byte[] originalFrame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[payload.length + 2];
    frame[0] = (byte) (payload.length >>> 8);
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    return frame;
  }

  /** An answer of {@code scribes} creates, about 100 bytes each, as the original sends it. */
  private static String largeAnswer(int scribes) {
    StringBuilder json = new StringBuilder("{\"type\":\"response\",\"id\":1,\"result\":[");
    for (int i = 0; i < scribes; i++) {
      json.append(i == 0 ? "" : ",").append("{\"klass\":\"Test\",\"type\":\"create\",\"data\":")
          .append("{\"id\":").append(i).append(",\"name\":\"n\\\"{[").append(i).append("\"},\"id\":\"")
          .append(i + 1).append("\"}");
    }
    return json.append("]}").toString();
  }

  @Test
  void recoversAnOriginalPeersFrameOverSixtyFourKibibytesSplitAnywhere() {
    String large = largeAnswer(2_000);
    assertThat(large.length()).isGreaterThan(2 * 65_536);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(originalFrame(large));
    out.writeBytes(originalFrame("{\"type\":\"noop\",\"id\":2}"));
    byte[] bytes = out.toByteArray();
    decoder.recoverWrappedFrames(1024 * 1024);

    for (int chunk : new int[] {bytes.length, 8_192, 1_000, 65_536, 65_537}) {
      frames.clear();
      for (int from = 0; from < bytes.length; from += chunk) {
        feed(bytes, from, Math.min(bytes.length, from + chunk));
      }
      assertThat(frames).as("in chunks of %d", chunk)
          .containsExactly(large, "{\"type\":\"noop\",\"id\":2}");
    }
    assertThat(decoder.hasPartialFrame()).isFalse();
  }

  @Test
  void withoutRecoveryAWrappedFrameIsCutAsAnnounced() {
    String large = largeAnswer(1_000);
    byte[] bytes = originalFrame(large);

    feed(bytes, 0, 2 + large.length() % 65_536);

    assertThat(frames).containsExactly(large.substring(0, large.length() % 65_536));
  }

  @Test
  void aWrappedFrameLongerThanTheBoundFailsTheStream() {
    byte[] bytes = originalFrame(largeAnswer(2_000));
    decoder.recoverWrappedFrames(100_000);

    assertThatThrownBy(() -> feed(bytes, 0, bytes.length))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("longer than the 100000 bytes recovered");
  }

  @Test
  void aFrameCutShortThatReadOnIsNoObjectFailsTheStreamInsteadOfSwallowingIt() {
    // A truncated object, then ordinary frames: read on, the frame holds their length bytes.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(originalFrame("{\"type\":\"sync\",\"from\":"));
    for (int i = 0; i < 3_000; i++) {
      out.writeBytes(originalFrame("{\"type\":\"noop\",\"id\":" + i + "}"));
    }
    byte[] bytes = out.toByteArray();
    decoder.recoverWrappedFrames(1024 * 1024);

    assertThatThrownBy(() -> feed(bytes, 0, bytes.length))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("did not make one JSON object");
  }

  @Test
  void withRecoveryABadFrameOfItsOwnIsStillHandedOn() {
    byte[] bytes = stream("not json", "{\"type\":\"noop\"}");
    decoder.recoverWrappedFrames(1024 * 1024);

    feed(bytes, 0, bytes.length);

    assertThat(frames).containsExactly("not json", "{\"type\":\"noop\"}");
  }
}
