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
 *
 * <p><b>An original peer's long frames.</b> The original writes a frame's length modulo 65,536,
 * so a message of 70,000 bytes announces 4,464 and sends all 70,000. Its frames are always one
 * JSON object, so once recovery is on ({@link #recoverWrappedFrames}, for an original peer) a
 * frame that is an object cut short is read on, 65,536 bytes at a time, until it is whole, up to
 * the bound given; one that then is not an object, or passes the bound, fails the stream.
 */
public final class FrameDecoder {
  /** The smallest buffer a partial frame starts with. */
  private static final int MIN_BUFFER = 256;
  /** What a length written in two bytes wraps at. */
  private static final int WRAP = 65_536;

  private int maxFrameBytes;
  /** The first byte of a length whose second byte has not arrived; -1 when none. */
  private int lengthHigh = -1;
  /** The length of the frame being filled; -1 between frames. */
  private int frameLength = -1;
  /** Holds the first {@code filled} bytes of the frame being filled; null between frames. */
  private byte[] frame;
  private int filled;
  /** The longest frame recovered from a wrapped length; 0 while recovery is off. */
  private int maxRecoveredBytes;
  /** Whether the frame being filled was announced shorter than it is (a wrapped length). */
  private boolean recovering;

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
   * Reads frames cut short by a length written modulo 65,536 on, up to {@code maxBytes} in all
   * (see the class comment); 0 turns that off (the default: a Java peer never wraps).
   */
  public void recoverWrappedFrames(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    this.maxRecoveredBytes = maxBytes;
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
      if (filled == frameLength && !readOnIfWrapped()) {
        byte[] complete = frame.length == frameLength ? frame : Arrays.copyOf(frame, frameLength);
        reset();
        onFrame.accept(complete);
      }
    }
  }

  /**
   * Whether the frame just filled is an original peer's longer frame cut short by its wrapped
   * length, and is to be read on for another 65,536 bytes.
   *
   * @throws ProtocolException when it is cut short past the bound, or, read on, is not an object
   */
  private boolean readOnIfWrapped() {
    if (maxRecoveredBytes == 0) {
      return false;
    }
    JsonObjectScan.Shape shape = JsonObjectScan.of(frame, filled);
    if (shape == JsonObjectScan.Shape.WHOLE || (shape == JsonObjectScan.Shape.NEITHER && !recovering)) {
      return false; // whole, or a bad frame of its own: handled as any other
    }
    if (shape == JsonObjectScan.Shape.NEITHER) {
      throw new ProtocolException("a frame announced shorter than it is (as the original writes"
          + " lengths over 65,535) did not make one JSON object when read on to " + filled
          + " bytes; the stream cannot be followed");
    }
    if ((long) frameLength + WRAP > maxRecoveredBytes) {
      throw new ProtocolException("a frame cut short at " + filled + " bytes (an original peer's"
          + " length over 65,535, written modulo 65,536) would be longer than the "
          + maxRecoveredBytes + " bytes recovered");
    }
    recovering = true;
    frameLength += WRAP;
    return true;
  }

  /** Drops a partial frame, as when the connection closes. */
  public void reset() {
    lengthHigh = -1;
    frameLength = -1;
    frame = null;
    filled = 0;
    recovering = false;
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
