package io.syncro.runtime.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.runtime.ConnectionClosedException;
import io.syncro.runtime.StorageException;
import org.junit.jupiter.api.Test;

/** The stopped cursor and the resync with backoff, on a clock the test moves. */
class ResyncTest {
  private final SessionParts parts = new SessionParts(10);

  @Test
  void aFrozenCursorSyncsAgainAfterTheFirstDelayOnce() {
    parts.loop.run(() -> {
      parts.resync.freezeCursor();
      parts.resync.freezeCursor(); // a second failure before the resync: still one resync
    });

    assertThat(parts.resync.cursorFrozen()).isTrue();
    parts.scheduler.advance(999);
    assertThat(parts.resyncs).isEmpty();
    parts.scheduler.advance(1);
    assertThat(parts.resyncs).hasSize(1);
    assertThat(parts.scheduler.waiting()).isZero();
  }

  @Test
  void failedResyncsBackOffAndASuccessfulOneResetsTheDelay() {
    parts.loop.run(parts.resync::freezeCursor);
    parts.scheduler.advance(1_000);
    parts.loop.run(() -> parts.resyncs.get(0).completeExceptionally(new StorageException("down")));
    assertThat(parts.scheduler.nextDueIn()).isEqualTo(2_000);
    parts.scheduler.advance(2_000);
    parts.loop.run(() -> parts.resyncs.get(1).completeExceptionally(new StorageException("down")));
    assertThat(parts.scheduler.nextDueIn()).isEqualTo(4_000);
    parts.scheduler.advance(4_000);
    parts.loop.run(() -> parts.resyncs.get(2).complete(null));

    parts.loop.run(parts.resync::freezeCursor);

    assertThat(parts.scheduler.nextDueIn()).isEqualTo(1_000);
  }

  @Test
  void theCursorMovesAgainOnlyWhenASyncIsAnswered() {
    parts.loop.run(parts.resync::freezeCursor);
    parts.scheduler.advance(1_000);
    assertThat(parts.resync.cursorFrozen()).as("a sync sent is not a sync answered").isTrue();

    parts.loop.run(parts.resync::syncAnswered);

    assertThat(parts.resync.cursorFrozen()).isFalse();
  }

  @Test
  void aCatchUpLostWithItsConnectionIsLeftToTheNextConnection() {
    parts.loop.run(() -> parts.resync.catchUpFailed(new ConnectionClosedException("gone")));

    assertThat(parts.scheduler.waiting()).isZero();
    assertThat(parts.resync.cursorFrozen()).isFalse();
  }
}
