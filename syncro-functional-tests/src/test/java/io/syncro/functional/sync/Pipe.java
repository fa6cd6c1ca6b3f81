package io.syncro.functional.sync;

import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process stream between two nodes. Each direction delivers on its own thread, as a
 * socket would, in chunks of a chosen size: one byte at a time, whole frames, or everything
 * queued so far glued into one read.
 */
final class Pipe extends RecordingLink {
  /** How bytes are handed to the receiving session. */
  enum Chunking {
    FRAMES,
    ONE_BYTE,
    GLUED
  }

  private final Direction toSecond = new Direction();
  private final Direction toFirst = new Direction();
  private final AtomicBoolean dropped = new AtomicBoolean();
  private final Chunking chunking;

  /** Connects {@code a} (which knows its peer as {@code bUid}) and {@code b} ({@code aUid}). */
  Pipe(Syncro a, String bUid, Syncro b, String aUid, Chunking chunking) {
    this.chunking = chunking;
    this.first = a.connect(bUid, new End(toSecond));
    this.second = b.connect(aUid, new End(toFirst));
    toSecond.receiver = second;
    toFirst.receiver = first;
  }

  Pipe(Syncro a, String bUid, Syncro b, String aUid) {
    this(a, bUid, b, aUid, Chunking.FRAMES);
  }

  /** {@code server} accepts the connection unauthenticated; {@code client} knows it as serverUid. */
  private Pipe(Syncro server, Syncro client, String serverUid) {
    this.chunking = Chunking.FRAMES;
    this.first = server.accept(new End(toSecond));
    this.second = client.connect(serverUid, new End(toFirst));
    toSecond.receiver = second;
    toFirst.receiver = first;
  }

  /** A pipe whose server side must authenticate its client first. */
  static Pipe accepted(Syncro server, Syncro client, String serverUid) {
    return new Pipe(server, client, serverUid);
  }



  /**
   * From now on, bytes on their way to the second node are kept back for good, as from a peer
   * that stopped reading: what the first node sends is never answered.
   */
  void stopDeliveringToSecond() {
    toSecond.held = true;
  }

  @Override
  public void drop() {
    if (dropped.compareAndSet(false, true)) {
      first.disconnect();
      second.disconnect();
    }
  }

  @Override
  public void close() {
    drop();
    toSecond.executor.shutdownNow();
    toFirst.executor.shutdownNow();
  }

  private final class End implements Connection {
    private final Direction direction;

    End(Direction direction) {
      this.direction = direction;
    }

    @Override
    public void send(byte[] bytes) {
      int length = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
      if (length != bytes.length - 2) {
        throw new AssertionError("a send is not exactly one frame: " + length + " vs " + bytes.length);
      }
      noteSent(direction == toSecond, bytes);
      direction.deliver(bytes);
    }

    @Override
    public void close() {
      drop();
    }
  }

  private final class Direction {
    final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "pipe");
      thread.setDaemon(true);
      return thread;
    });
    final ByteArrayOutputStream glued = new ByteArrayOutputStream();
    volatile Session receiver;
    volatile boolean held;

    void deliver(byte[] bytes) {
      if (dropped.get() || held) {
        return;
      }
      if (chunking == Chunking.GLUED) {
        synchronized (glued) {
          glued.writeBytes(bytes);
        }
      }
      executor.execute(() -> {
        if (dropped.get() || held) {
          return;
        }
        switch (chunking) {
          case ONE_BYTE:
            for (int i = 0; i < bytes.length; i++) {
              receiver.receiveData(bytes, i, 1);
            }
            break;
          case GLUED:
            byte[] all;
            synchronized (glued) {
              all = glued.toByteArray();
              glued.reset();
            }
            if (all.length > 0) {
              receiver.receiveData(all);
            }
            break;
          default:
            receiver.receiveData(bytes);
        }
      });
    }
  }
}
