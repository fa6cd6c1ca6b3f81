package io.syncro.functional.sync;

import io.syncro.runtime.Session;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both links share: their two sessions, and what they keep of the frames they carry (the
 * longest, and those sent to the second node).
 */
abstract class RecordingLink implements Link {
  protected Session first;
  protected Session second;

  @Override
  public Session first() {
    return first;
  }

  @Override
  public Session second() {
    return second;
  }

  private final AtomicInteger longestFrame = new AtomicInteger();
  private final List<String> sentToSecond = new ArrayList<>();

  /** Notes a frame on its way; {@code toSecond} when the second node receives it. */
  protected final void noteSent(boolean toSecond, byte[] frame) {
    longestFrame.accumulateAndGet(frame.length - 2, Math::max);
    if (toSecond) {
      synchronized (sentToSecond) {
        sentToSecond.add(new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public int longestFrame() {
    return longestFrame.get();
  }

  @Override
  public List<String> sentToSecond() {
    synchronized (sentToSecond) {
      return List.copyOf(sentToSecond);
    }
  }
}
