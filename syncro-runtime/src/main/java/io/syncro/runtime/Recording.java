package io.syncro.runtime;

import io.syncro.runtime.internal.Messages;
import io.syncro.runtime.internal.ScribeJson;
import io.syncro.runtime.internal.ScribeSequence;
import io.syncro.runtime.store.ObjectChange;
import io.syncro.runtime.store.ScribeStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's recording: what its repositories record is addressed (trusted peers included),
 * checked against the frame size, stored with the object it changes in one store operation, and
 * handed to the fan-out in the same step, so pushes leave in the order of ids. Thread-safe.
 */
final class Recording {
  private static final Logger log = LoggerFactory.getLogger(Recording.class);

  private final ScribeStore store;
  private final Delivery delivery;
  private final Set<String> trusted;
  private final boolean sendStamps;
  /** How deep this thread is in {@code withoutRecording} blocks. */
  private final ThreadLocal<int[]> suspended = ThreadLocal.withInitial(() -> new int[1]);
  /** How deep this thread is in {@link #asOneStep} blocks. */
  private final ThreadLocal<int[]> inStep = ThreadLocal.withInitial(() -> new int[1]);
  /**
   * For each thread in the middle of a step that has appended, a sequence at or before its first
   * scribe: up to the one before it, every change is wholly stored ({@link #settledSequence}).
   */
  private final Map<Thread, Long> unsettledFrom = new ConcurrentHashMap<>();
  /**
   * The newest sequence this node saw its store give, a bound below any it gives next, kept here
   * so that a step need not ask the store (a round trip to Redis) before each append; -1 until
   * the first is needed.
   */
  private final AtomicLong newestSeen = new AtomicLong(-1);
  /** What this thread's batch tells the application once it is written; null outside one. */
  private final ThreadLocal<List<Runnable>> toldOnceWritten = new ThreadLocal<>();

  Recording(ScribeStore store, Delivery delivery, Set<String> trusted, boolean sendStamps) {
    this.store = store;
    this.delivery = delivery;
    this.trusted = trusted;
    this.sendStamps = sendStamps;
  }

  /**
   * Stores a scribe and pushes it to the connected sessions of its recipients.
   *
   * @throws ScribeTooLargeException when its add_scribe message could not be framed
   */
  Optional<Scribe> record(Scribe recorded) {
    return writeAtomically(recorded, null);
  }

  /**
   * Stores a scribe, with the change of the object it records when given (one store operation:
   * both or neither), then pushes it: nothing is pushed that is not stored. Without a scribe, or
   * with recording suspended, only the object change is written.
   *
   * @throws ScribeTooLargeException when its add_scribe message could not be framed; nothing is
   *     written then
   */
  Optional<Scribe> writeAtomically(Scribe recorded, ObjectChange change) {
    if (recorded == null || suspended.get()[0] > 0) {
      if (change != null) {
        change.applyTo(store);
      }
      return Optional.empty();
    }
    Scribe scribe = addressTrustedPeers(recorded);
    checkFitsAFrame(scribe);
    if (inStep.get()[0] > 0 && !unsettledFrom.containsKey(Thread.currentThread())) {
      // Before the append, a bound at or below the sequence it will get: a snapshot that reads
      // the log's end once this is appended sees this too, and stops before it.
      unsettledFrom.put(Thread.currentThread(), newestSeen() + 1);
    }
    // Written only when a session is pushed it, once for all of them.
    Scribe stored = delivery.appendAndDeliver(
        () -> change == null ? store.append(scribe) : store.append(scribe, change),
        appended -> ScribeJson.withId(ScribeJson.wire(scribe, sendStamps), appended.id()));
    newestSeen.accumulateAndGet(ScribeSequence.of(stored.id()), Math::max);
    return Optional.of(stored);
  }

  private long newestSeen() {
    long seen = newestSeen.get();
    if (seen < 0) {
      newestSeen.compareAndSet(-1, store.lastSequence());
      seen = newestSeen.get();
    }
    return seen;
  }

  /**
   * Runs the handling of one change from a peer as one step: its scribes are appended one by
   * one (the record whole, or a tombstone, is recorded before the change's own scribe, which
   * carries the object's change, so that a crash between them loses nothing the peer would not
   * send again), and until the last is in, the log holds scribes whose change is not yet stored.
   * {@link #settledSequence} never counts those.
   */
  <T> T asOneStep(Supplier<T> step) {
    int[] depth = inStep.get();
    depth[0]++;
    try {
      return step.get();
    } finally {
      if (--depth[0] == 0) {
        unsettledFrom.remove(Thread.currentThread());
      }
    }
  }

  /**
   * Runs {@code writes}, a page of a peer's changes applied one after another, as one batch of
   * the store ({@link ScribeStore#batch}): written together, and pushed to other sessions once
   * written.
   */
  <T> T asOneBatch(Supplier<T> writes) {
    if (toldOnceWritten.get() != null) {
      return delivery.holdingPushes(() -> store.batch(writes));
    }
    List<Runnable> toTell = new ArrayList<>();
    toldOnceWritten.set(toTell);
    try {
      return delivery.holdingPushes(() -> store.batch(writes));
    } finally {
      toldOnceWritten.remove();
      // Also when the batch failed: the store wrote what was appended before the failure.
      for (Runnable tell : toTell) {
        try {
          tell.run();
        } catch (RuntimeException e) {
          log.warn("telling the application of a change from a peer failed", e);
        }
      }
    }
  }

  /**
   * Runs {@code tell}, which tells the application of a change this thread stored: at once, or,
   * inside a {@linkplain #asOneBatch batch}, once the batch is written (a listener then never
   * hears of a change a crash could still take back, and its reads of the store do not write
   * the batch early).
   */
  void onceWritten(Runnable tell) {
    List<Runnable> toTell = toldOnceWritten.get();
    if (toTell == null) {
      tell.run();
    } else {
      toTell.add(tell);
    }
  }

  /**
   * The newest sequence up to which the log's scribes and the changes they record are all
   * stored: where a snapshot begins. A snapshot reads the records after this, and the peer gets
   * the log after it: a position between the scribes of a change half recorded would leave the
   * peer a scribe it never gets (claimed by the position) and a record read without the change.
   * Scribes other nodes of a fleet are appending are not seen here.
   */
  long settledSequence() {
    long settled = store.lastSequence();
    for (long from : unsettledFrom.values()) {
      settled = Math.min(settled, from - 1);
    }
    return settled;
  }

  /**
   * Refuses a scribe whose add_scribe message could not be framed; a change of who sees the
   * record also goes out as the record whole, which must fit too. Measured by a bound, and
   * written to be measured exactly only when the bound is over the frame.
   */
  private void checkFitsAFrame(Scribe scribe) {
    Scribe share = scribe.accessChange().flatMap(Scribe.AccessChange::shared).orElse(null);
    int bound = Math.max(ScribeJson.wireLengthAtMost(scribe, sendStamps),
        share == null ? 0 : ScribeJson.wireLengthAtMost(share, sendStamps));
    if (frameSize(bound) <= Messages.MAX_FRAME_BYTES) {
      return;
    }
    int longest = Math.max(ScribeJson.wire(scribe, sendStamps).length(),
        share == null ? 0 : ScribeJson.wire(share, sendStamps).length());
    int size = frameSize(longest);
    if (size > Messages.MAX_FRAME_BYTES) {
      throw new ScribeTooLargeException("a " + scribe.type().wireName() + " of " + scribe.klass()
          + " would take " + size + " bytes on the wire, more than the " + Messages.MAX_FRAME_BYTES
          + " of a frame: split the object or keep large values out of sync");
    }
  }

  private static int frameSize(int scribeLength) {
    return scribeLength + ScribeJson.ID_FIELD_MAX_LENGTH + Messages.ADD_SCRIBE_ENVELOPE;
  }

  /** Runs {@code block} with recording suspended on this thread. */
  <V> V suspendedWhile(Supplier<V> block) {
    int[] depth = suspended.get();
    depth[0]++;
    try {
      return block.get();
    } finally {
      depth[0]--;
    }
  }

  /**
   * The scribe, addressed to the trusted peers too when it names its recipients (its former
   * recipients too, after a change of them: trusted peers always see the record); a removal
   * stays addressed to its one peer.
   */
  private Scribe addressTrustedPeers(Scribe scribe) {
    if (scribe.isRemoval() || scribe.isNotice()) {
      return scribe; // for the one peer concerned; not news for trusted peers
    }
    Recipients recipients = withTrusted(scribe.recipients());
    Scribe.AccessChange access = scribe.accessChange().orElse(null);
    Recipients former = access == null ? null : withTrusted(access.formerRecipients());
    if (recipients == scribe.recipients()
        && (access == null || former == access.formerRecipients())) {
      return scribe;
    }
    Scribe.Builder addressed = scribe.toBuilder().recipients(recipients);
    if (access != null) {
      addressed.accessChange(new Scribe.AccessChange(former,
          access.share() == null ? null : access.share().toBuilder().recipients(recipients).build(),
          access.recordId()));
    }
    return addressed.build();
  }

  private Recipients withTrusted(Recipients recipients) {
    if (trusted.isEmpty() || recipients.isEveryone() || recipients.uids().containsAll(trusted)) {
      return recipients;
    }
    Set<String> uids = new LinkedHashSet<>(recipients.uids());
    uids.addAll(trusted);
    return Recipients.of(uids);
  }
}
