package io.syncro.runtime.internal.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler whose time moves only when the test says so; tasks run on the test's thread. */
final class FakeScheduler implements Scheduler {
  private final List<Task> tasks = new ArrayList<>();
  private long now;

  private final class Task implements Scheduled {
    final long at;
    final Runnable run;
    boolean cancelled;

    Task(long at, Runnable run) {
      this.at = at;
      this.run = run;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Override
  public Scheduled schedule(Runnable task, long delayMillis) {
    Task scheduled = new Task(now + delayMillis, task);
    tasks.add(scheduled);
    return scheduled;
  }

  /** Moves time on by {@code millis}, running what falls due, in the order it falls due. */
  void advance(long millis) {
    long until = now + millis;
    while (true) {
      Task next = tasks.stream()
          .filter(task -> !task.cancelled && task.at <= until)
          .min(Comparator.comparingLong(task -> task.at))
          .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = next.at;
      next.run.run();
    }
    now = until;
  }

  /** How many tasks wait to run, not counting cancelled ones. */
  long waiting() {
    return tasks.stream().filter(task -> !task.cancelled).count();
  }

  /** When the earliest task waiting falls due, from now; -1 when none waits. */
  long nextDueIn() {
    return tasks.stream().filter(task -> !task.cancelled)
        .mapToLong(task -> task.at - now).min().orElse(-1);
  }
}
