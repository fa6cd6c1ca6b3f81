package io.syncro.runtime.internal.session;

import io.syncro.runtime.internal.Backoff;
import io.syncro.runtime.internal.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's parts wired as the session wires them, for the peer "alice", with everything on
 * the test's thread: a fake clock and scheduler, a transport that records.
 */
final class SessionParts {
  final FakeHost host;
  final FakeScheduler scheduler = new FakeScheduler();
  final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);
  final RecordingOutbound transport = new RecordingOutbound();
  final List<String> closes = new ArrayList<>();
  final Outbox outbox;
  final SessionLoop loop;
  final Requests requests;
  final Resync resync;
  final ScribeIntake intake;
  final OutboundCatchUp outbound;
  final List<CompletableFuture<Void>> resyncs = new ArrayList<>();

  SessionParts(int pageSize) {
    host = new FakeHost(pageSize);
    outbox = new Outbox(transport, host.limits().maxQueuedBytes(), Runnable::run, new Outbox.Failure() {
      @Override
      public void overflowed(long queuedBytes) {
        closes.add("overflowed");
      }

      @Override
      public void sendFailed(RuntimeException cause) {
        closes.add("send failed");
      }
    }, () -> "alice");
    loop = new SessionLoop(Runnable::run, outbox::flush);
    requests = new Requests(loop, scheduler, host.limits().requestTimeout().toMillis(),
        host.limits().maxPendingRequests(), outbox, () -> closes.add("cut off"), () -> "alice");
    resync = new Resync(loop, scheduler, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
        () -> {
          CompletableFuture<Void> sync = new CompletableFuture<>();
          resyncs.add(sync);
          return sync;
        }, () -> closes.isEmpty(), () -> "alice");
    intake = new ScribeIntake(host, outbox,
        new RateLimit(host.limits().maxScribesPerSecond(), nanoTime::get), resync, () -> "alice",
        () -> false);
    outbound = new OutboundCatchUp(host, outbox, requests, () -> "alice", () -> false,
        () -> closes.add("stopped answering"));
  }
}
