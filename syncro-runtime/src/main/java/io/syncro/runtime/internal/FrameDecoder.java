package io.syncro.runtime.internal;

import io.syncro.runtime.ProtocolException;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames: a 2-byte big-endian length, then that many bytes. Bytes may
 * arrive split anywhere, the length itself included, or many frames at once. Memory is bounded:
 * at most one frame of at most {@code maxFrameBytes} is buffered. Not thread-safe: one per
 * connection, fed in order.
 */
public final class FrameDecoder {
  private final int maxFrameBytes;
  /** The first byte of a length whose second byte has not arrived; -1 when none. */
  private int lengthHigh = -1;
  /** The frame being filled; null between frames. */
  private byte[] frame;
  private int filled;

  public FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 1 || maxFrameBytes > Messages.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be 1 to " + Messages.MAX_FRAME_BYTES + ", not " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Feeds bytes, handing each complete frame's payload to {@code onFrame} as soon as it is whole.
   *
   * @throws ProtocolException when a frame is longer than this decoder accepts; the stream cannot
   *     be trusted after that, so the caller closes it
   */
  public void feed(byte[] bytes, int offset, int length, Consumer<byte[]> onFrame) {
    int position = offset;
    int end = offset + length;
    while (position < end) {
      if (frame == null) {
        int b = bytes[position++] & 0xFF;
        if (lengthHigh < 0) {
          lengthHigh = b;
          continue;
        }
        int frameLength = (lengthHigh << 8) | b;
        lengthHigh = -1;
        if (frameLength > maxFrameBytes) {
          throw new ProtocolException(
              "frame of " + frameLength + " bytes is longer than the " + maxFrameBytes + " accepted");
        }
        frame = new byte[frameLength];
        filled = 0;
      }
      int take = Math.min(frame.length - filled, end - position);
      System.arraycopy(bytes, position, frame, filled, take);
      filled += take;
      position += take;
      if (filled == frame.length) {
        byte[] complete = frame;
        frame = null;
        onFrame.accept(complete);
      }
    }
  }

  /** Drops a partial frame, as when the connection closes. */
  public void reset() {
    lengthHigh = -1;
    frame = null;
    filled = 0;
  }

  /** Whether part of a frame is buffered. */
  public boolean hasPartialFrame() {
    return lengthHigh >= 0 || frame != null;
  }
}
