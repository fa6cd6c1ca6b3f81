package io.syncro.runtime.internal.session;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: request timeouts and resyncs. The seam that lets tests of the
 * session's parts move time by hand instead of waiting for it.
 */
public interface Scheduler {

  /** Runs {@code task} once, {@code delayMillis} from now, on some thread; never throws. */
  Scheduled schedule(Runnable task, long delayMillis);

  /** A task scheduled to run later. */
  interface Scheduled {
    /** Makes sure the task does not run, if it has not started yet. */
    void cancel();
  }

  /**
   * A scheduler on {@code timer}; a task scheduled after the timer is shut down never runs (the
   * node is closing, and so is every session).
   */
  static Scheduler on(ScheduledExecutorService timer) {
    return (task, delayMillis) -> {
      try {
        ScheduledFuture<?> future = timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
      } catch (RejectedExecutionException e) {
        return () -> { };
      }
    };
  }
}
