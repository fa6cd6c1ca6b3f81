package io.syncro.runtime.internal;

import io.syncro.runtime.ProtocolException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames: a 2-byte big-endian length, then that many bytes. Bytes may
 * arrive split anywhere, the length itself included, or many frames at once.
 *
 * <p>Memory is bounded and follows what actually arrives: at most one partial frame of at most
 * {@link #maxFrameBytes()} is buffered, in a buffer that grows with the bytes received, never
 * with the length a peer announces (three bytes announcing 65,535 hold a few bytes, not 64 KiB).
 * Not thread-safe: one per connection, fed in order.
 */
public final class FrameDecoder {
  /** The smallest buffer a partial frame starts with. */
  private static final int MIN_BUFFER = 256;

  private int maxFrameBytes;
  /** The first byte of a length whose second byte has not arrived; -1 when none. */
  private int lengthHigh = -1;
  /** The length of the frame being filled; -1 between frames. */
  private int frameLength = -1;
  /** Holds the first {@code filled} bytes of the frame being filled; null between frames. */
  private byte[] frame;
  private int filled;

  public FrameDecoder(int maxFrameBytes) {
    setMaxFrameBytes(maxFrameBytes);
  }

  /** The longest frame accepted. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * Changes the longest frame accepted from the next frame on: a connection may be held to small
   * frames until its peer has authenticated, say.
   */
  public void setMaxFrameBytes(int maxFrameBytes) {
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
      if (frameLength < 0) {
        int b = bytes[position++] & 0xFF;
        if (lengthHigh < 0) {
          lengthHigh = b;
          continue;
        }
        int announced = (lengthHigh << 8) | b;
        lengthHigh = -1;
        if (announced > maxFrameBytes) {
          throw new ProtocolException(
              "frame of " + announced + " bytes is longer than the " + maxFrameBytes + " accepted");
        }
        frameLength = announced;
        filled = 0;
        frame = new byte[Math.min(announced, Math.max(MIN_BUFFER, end - position))];
      }
      int take = Math.min(frameLength - filled, end - position);
      if (filled + take > frame.length) {
        frame = Arrays.copyOf(frame, Math.min(frameLength, Math.max(filled + take, frame.length * 2)));
      }
      System.arraycopy(bytes, position, frame, filled, take);
      filled += take;
      position += take;
      if (filled == frameLength) {
        byte[] complete = frame.length == frameLength ? frame : Arrays.copyOf(frame, frameLength);
        reset();
        onFrame.accept(complete);
      }
    }
  }

  /** Drops a partial frame, as when the connection closes. */
  public void reset() {
    lengthHigh = -1;
    frameLength = -1;
    frame = null;
    filled = 0;
  }

  /** Whether part of a frame is buffered. */
  public boolean hasPartialFrame() {
    return lengthHigh >= 0 || frameLength >= 0;
  }

  /** How many bytes the buffer of a partial frame takes now; 0 between frames. */
  public int bufferedBytes() {
    return frame == null ? 0 : frame.length;
  }
}
