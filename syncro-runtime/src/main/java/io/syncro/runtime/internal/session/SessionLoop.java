package io.syncro.runtime.internal.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's one thread of control: tasks run one at a time, in the order they were handed
 * over, whatever thread hands them over, so the state they touch needs no other lock. Like an
 * event loop, but without a thread of its own: a task runs on the thread that hands it over
 * when the loop is free, else it waits in the queue for the thread that is running the loop, or
 * for a thread of {@code elsewhere}.
 *
 * <p>Two ways in. {@link #run} is for the transport's reading thread: it waits for the loop,
 * which slows a peer that sends faster than its session handles (the transport stops reading).
 * {@link #execute} is for threads that must never wait on a session (the node's record path,
 * timers, the application): the task runs at once if the loop is free, else later.
 *
 * <p>Tasks must not block: a task that waits on another task of the same loop waits for ever.
 */
public final class SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(SessionLoop.class);

  /** What runs after the loop is released, with whether that thread may wait (to send). */
  public interface AfterRun {
    void released(boolean mayBlock);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Executor elsewhere;
  private final AfterRun afterRun;

  /**
   * @param elsewhere where queued tasks run when no thread that handed one over can run them
   * @param afterRun called, outside the loop, by each thread after it ran tasks
   */
  public SessionLoop(Executor elsewhere, AfterRun afterRun) {
    this.elsewhere = elsewhere;
    this.afterRun = afterRun;
  }

  /**
   * Runs {@code task} on this thread once the loop is free, after the tasks queued before it.
   * From inside a task it only queues (a task never runs inside another).
   */
  public void run(Runnable task) {
    if (lock.isHeldByCurrentThread()) {
      queue.add(task);
      return;
    }
    lock.lock();
    try {
      runQueued();
      runOne(task);
      runQueued();
    } finally {
      lock.unlock();
    }
    afterRun.released(true);
    runIfFree(false);
  }

  /** Runs {@code task} now if the loop is free, else queues it; never waits. */
  public void execute(Runnable task) {
    queue.add(task);
    if (!lock.isHeldByCurrentThread()) {
      runIfFree(false);
    }
  }

  /** Queues {@code task} and has a thread of {@code elsewhere} run it: for timers. */
  public void executeElsewhere(Runnable task) {
    queue.add(task);
    scheduleDrain();
  }

  /** Whether the calling thread is running this loop's tasks now. */
  public boolean inLoop() {
    return lock.isHeldByCurrentThread();
  }

  /**
   * Runs what is queued while the loop is free. Whoever queues a task then calls this, and so
   * does whoever releases the loop, so no task is left behind: a task queued just as the holder
   * was leaving is seen by one of the two.
   */
  private void runIfFree(boolean mayBlock) {
    while (!queue.isEmpty() && lock.tryLock()) {
      try {
        runQueued();
      } finally {
        lock.unlock();
      }
      afterRun.released(mayBlock);
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        elsewhere.execute(() -> {
          drainScheduled.set(false);
          runIfFree(false);
        });
      } catch (RuntimeException e) {
        drainScheduled.set(false); // the node is closing; whoever comes next runs the queue
        log.debug("could not hand a session's tasks to another thread: {}", e.toString());
      }
    }
  }

  private void runQueued() {
    Runnable next;
    while ((next = queue.poll()) != null) {
      runOne(next);
    }
  }

  private static void runOne(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // One task failing must not stop the ones after it, nor escape to the thread that hands
      // tasks over (a transport's reader, the node's record path).
      log.error("a session task failed", e);
    }
  }
}
