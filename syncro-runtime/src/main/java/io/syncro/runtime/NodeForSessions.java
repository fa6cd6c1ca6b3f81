package io.syncro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.AuthThrottle;
import io.syncro.runtime.internal.ScribeSequence;
import io.syncro.runtime.internal.session.ApplyOutcome;
import io.syncro.runtime.internal.session.Authentication;
import io.syncro.runtime.internal.session.SessionHost;
import io.syncro.runtime.internal.session.SessionLimits;
import io.syncro.runtime.store.ClientState;
import io.syncro.runtime.store.ScribeStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a node's sessions see of it: the one door from the session machinery to the node. */
final class NodeForSessions implements SessionHost {
  private static final Logger log = LoggerFactory.getLogger(NodeForSessions.class);

  private final ScribeStore store;
  private final SessionLimits limits;
  private final Authenticator authenticator;
  /** Failed authentications across connections, per peer key and per node. */
  private final AuthThrottle authThrottle;
  private final Map<String, SyncedRepository<?, ?>> repositoriesByKlass;
  private final Map<String, Map<String, RpcHandler>> rpc;
  /** Held while a client's state is read and written back; shared with the node. */
  private final Object clientLock;
  /** Stores and pushes what this node sends one peer alone (removals, a record whole). */
  private final Recording recording;
  /** The peers whose removals this node applies (see {@code Syncro.Builder#trust}). */
  private final Set<String> trusted;
  /** Whether the node talks to one peer bound by uid, as a client to its server. */
  private final BooleanSupplier hasOneBoundPeer;
  /** What connections that have not authenticated hold in partial frames, all together. */
  private final AtomicLong unauthenticatedBytes = new AtomicLong();
  /** Refusals and failures answered to original peers as successes (see Syncro's getter). */
  private final AtomicLong sparedOriginalPeers = new AtomicLong();

  NodeForSessions(ScribeStore store, SessionLimits limits, Authenticator authenticator,
      AuthThrottle authThrottle, Map<String, SyncedRepository<?, ?>> repositoriesByKlass,
      Map<String, Map<String, RpcHandler>> rpc, Object clientLock, Recording recording,
      Set<String> trusted, BooleanSupplier hasOneBoundPeer) {
    this.store = store;
    this.hasOneBoundPeer = hasOneBoundPeer;
    this.limits = limits;
    this.authenticator = authenticator;
    this.authThrottle = authThrottle;
    this.repositoriesByKlass = repositoriesByKlass;
    this.rpc = rpc;
    this.clientLock = clientLock;
    this.recording = recording;
    this.trusted = trusted;
  }

  @Override
  public SessionLimits limits() {
    return limits;
  }

  @Override
  public void sparedOriginalPeer() {
    sparedOriginalPeers.incrementAndGet();
  }

  long sparedOriginalPeers() {
    return sparedOriginalPeers.get();
  }

  @Override
  public Authentication authenticate(String token, String peerKey) {
    if (authThrottle.attempt(peerKey) instanceof AuthThrottle.Wait wait) {
      return new Authentication.Throttled(wait.retryAfter(), wait.why());
    }
    Optional<String> uid;
    try {
      uid = authenticator.authenticate(token);
    } catch (RuntimeException e) {
      log.warn("the authenticator failed", e);
      uid = Optional.empty();
    }
    if (uid.isEmpty() || uid.get().isEmpty()) {
      authThrottle.failed(peerKey);
      return new Authentication.Refused();
    }
    authThrottle.succeeded(peerKey);
    return new Authentication.Accepted(uid.get());
  }

  AuthThrottle authThrottle() {
    return authThrottle;
  }

  @Override
  public boolean holdUnauthenticatedBytes(int delta) {
    long total = unauthenticatedBytes.addAndGet(delta);
    if (delta > 0 && total > limits.maxUnauthenticatedBytes()) {
      unauthenticatedBytes.addAndGet(-delta);
      return false;
    }
    return true;
  }

  @Override
  public ApplyOutcome apply(JsonNode json, String origin, boolean moveCursor) {
    // One step for snapshots: the scribes a change is recorded as are all in, or none counts.
    return recording.asOneStep(() -> applyOne(json, origin, moveCursor));
  }

  @Override
  public <T> T applyingPage(Supplier<T> page) {
    return recording.asOneBatch(page);
  }

  private ApplyOutcome applyOne(JsonNode json, String origin, boolean moveCursor) {
    Scribe scribe;
    try {
      scribe = Scribe.fromTree(json).toBuilder().origin(origin).build();
    } catch (InvalidScribeException e) {
      log.warn("skipped a scribe from {}: {}", origin, e.getMessage());
      return ApplyOutcome.INVALID;
    }
    SyncedRepository<?, ?> repository = repositoriesByKlass.get(scribe.klass());
    if (repository == null) {
      log.debug("skipped a scribe of {} from {}: not a synced class", scribe.klass(), origin);
      return ApplyOutcome.NOT_SYNCED;
    }
    JsonNode id = json.path("id");
    ClientState cursor = null;
    try {
      // Read in here: a store that fails fails the scribe, which is then retried.
      cursor = moveCursor && (id.isTextual() || id.isNumber())
          ? store.client(origin).withCursor(id.asText()) : null;
      if (scribe.isRemoval()) {
        return removeLocally(repository, scribe, origin, cursor);
      }
      if (scribe.isNotice()) {
        return noticeFromPeer(repository, scribe, origin, cursor);
      }
      repository.replay(scribe, cursor, this::saveClient)
          .ifPresent(stored -> answerSenderOfAccessChange(stored, origin));
    } catch (UnauthorizedScribeException e) {
      log.warn("refused scribe {} from {}: {}{}", scribe.id(), origin, e.getMessage(),
          untrustedServerHint(origin));
      try {
        repository.restoreAfterRefusal(scribe, origin,
            this::storeForPeer);
        if (cursor != null) {
          // Answered: the peer is put back in step (its copy restored or removed), so the
          // refused scribe is behind it. Sent again later, in another state of the record (a
          // create once the record it clashed with is destroyed), it would be taken as new and
          // change the record for everyone but the peer, which no longer holds it.
          saveClient(cursor);
        }
      } catch (RuntimeException failed) {
        // The refusal stands; the peer is put back in step by this node's next change of it.
        log.warn("could not send {} this node's state of {} after refusing its change: {}",
            origin, scribe.klass(), failed.toString());
      }
      return ApplyOutcome.REFUSED;
    } catch (InvalidScribeException | ScribeTooLargeException e) {
      log.warn("skipped scribe {} from {}: {}", scribe.id(), origin, e.getMessage());
      return ApplyOutcome.INVALID;
    } catch (RuntimeException e) {
      log.error("could not apply scribe {} from {}", scribe.id(), origin, e);
      return ApplyOutcome.FAILED;
    }
    return ApplyOutcome.APPLIED;
  }

  /**
   * The other half of the trap {@code Delivery} warns of: a client that does not trust its server
   * refuses the server's changes of records whose recipients leave the server out. Said only
   * where it may be the cause: a node that trusts nobody and talks to one peer it did not
   * authenticate (a server taking clients by token is never told to trust one).
   */
  private String untrustedServerHint(String origin) {
    if (!trusted.isEmpty() || !hasOneBoundPeer.getAsBoolean()) {
      return "";
    }
    return ". If " + origin + " is this node's server, build the node with .trust(\"" + origin
        + "\"): a node takes from a peer it does not trust only what its authorizer and the"
        + " records' recipients allow that peer";
  }

  /**
   * Stored scribes never go back to where they came from, so after a change of who sees a
   * record, its sender gets its own view now, stored for it alone: a removal when the record, as
   * its change left it, is not for it (it took itself off), the record whole when it was not
   * among those who saw the record before.
   */
  private void answerSenderOfAccessChange(Scribe recorded, String origin) {
    Scribe.AccessChange access = recorded.accessChange().orElse(null);
    if (access == null) {
      return;
    }
    boolean sawIt = access.formerRecipients().includes(origin);
    boolean seesIt = recorded.recipients().includes(origin);
    Recipients toSender = Recipients.of(List.of(origin));
    if (!seesIt) {
      storeForPeer(Scribe.removal(recorded.klass(), access.recordId(), toSender).toBuilder()
          .stamp(recorded.stamp().orElse(null)).build());
    } else if (!sawIt && seesIt && access.share() != null) {
      storeForPeer(access.share().toBuilder().recipients(toSender).build());
    }
  }

  /**
   * Stores a scribe meant for one peer (a removal of a copy it may not keep, addressed to it
   * alone) and pushes it: stored, so that a peer that disconnects before it arrives gets it on
   * its next sync, in order.
   */
  private void storeForPeer(Scribe scribe) {
    recording.record(scribe);
  }

  /**
   * A removal takes away this node's copy without recording anything, so only a peer this node
   * trusts (its server) may send one: from anyone else it would let a peer delete what others
   * still see here.
   */
  private ApplyOutcome removeLocally(
      SyncedRepository<?, ?> repository, Scribe removal, String origin, ClientState cursor) {
    if (!trusted.contains(origin)) {
      log.warn("refused a removal of {} from {}: only a trusted peer may send removals",
          removal.klass(), origin);
      return ApplyOutcome.REFUSED;
    }
    repository.removeLocally(removal, cursor, this::saveClient);
    return ApplyOutcome.APPLIED;
  }

  /**
   * A peer's notice ({@link Scribe#notice()}). That it refused a change of this node's changes
   * nothing, but the application may act on it (give a record a new id), so only a peer this
   * node trusts may send one: from anyone else it would let a client make a server re-key its
   * records. A release ends only the sender's own claim, so it is taken from anyone.
   */
  private ApplyOutcome noticeFromPeer(
      SyncedRepository<?, ?> repository, Scribe notice, String origin, ClientState cursor) {
    if (notice.notice().orElseThrow() == Scribe.Notice.RELEASED) {
      repository.releasedBy(notice, origin, cursor, this::saveClient);
      return ApplyOutcome.APPLIED;
    }
    if (!trusted.contains(origin)) {
      log.warn("refused a notice of {} from {}: only a trusted peer may send one",
          notice.klass(), origin);
      return ApplyOutcome.REFUSED;
    }
    repository.noticeFromPeer(notice, origin, cursor, this::saveClient);
    return ApplyOutcome.APPLIED;
  }

  private void saveClient(ClientState state) {
    synchronized (clientLock) {
      store.saveClient(state);
    }
  }

  @Override
  public String cursorOf(String clientUid) {
    return store.client(clientUid).cursor();
  }

  @Override
  public void markSynced(String clientUid) {
    synchronized (clientLock) {
      ClientState state = store.client(clientUid);
      if (!state.synced()) {
        store.saveClient(state.withSynced(true));
      }
    }
  }

  @Override
  public long countSince(String clientUid, String cursor) {
    return store.countSince(clientUid, cursor);
  }

  @Override
  public List<Scribe> since(String clientUid, String cursor, int limit) {
    return store.since(clientUid, cursor, limit);
  }

  @Override
  public boolean trusts(String clientUid) {
    return trusted.contains(clientUid);
  }

  /** Every synced class, when each keeps its objects in the store; else none. */
  @Override
  public List<String> snapshotClasses(String clientUid) {
    for (SyncedRepository<?, ?> repository : repositoriesByKlass.values()) {
      if (repository.storedOrNull() == null) {
        return List.of();
      }
    }
    return repositoriesByKlass.keySet().stream().sorted().toList();
  }

  /** Where a snapshot begins: see {@link Recording#settledSequence}. */
  @Override
  public long lastSequence() {
    return recording.settledSequence();
  }

  /**
   * For each peer this node trusts, the newest cursor it synced from since this node started:
   * it holds every scribe up to there. (An answered push would say less: the peer's cursor may
   * be stopped before an older scribe it could not apply.) A trim keeps what comes after
   * ({@link #keepFromTrusted}).
   */
  private final Map<String, Long> acknowledgedByTrusted = new ConcurrentHashMap<>();

  @Override
  public void acknowledged(String peer, String cursor) {
    if (!trusted.contains(peer)) {
      return;
    }
    acknowledgedByTrusted.merge(peer, ScribeSequence.of(cursor), Math::max);
  }

  /**
   * The oldest sequence a trusted peer (this node's server) may not have yet: this node's own
   * changes live only in its log until the server has them, so a trim never drops them. Until
   * a trusted peer has synced since this node started, that is everything: 1.
   */
  long keepFromTrusted() {
    long keepFrom = Long.MAX_VALUE;
    for (String uid : trusted) {
      keepFrom = Math.min(keepFrom, acknowledgedByTrusted.getOrDefault(uid, 0L) + 1);
    }
    return keepFrom;
  }

  @Override
  public long firstSequence() {
    return store.firstSequence();
  }

  /**
   * Which records the peer has yet to get from this node is asked of the log: those created by
   * the scribes stored for it after {@code applied}. A record this node only changed since is
   * removed all the same: its copy may hold values from a change of this node's that the peer
   * refused, whose answer the peer no longer keeps. The removal keeps this node's own edits of
   * it, out of sight (see {@code SyncedRepository#removeLocally}), so they merge over the
   * snapshot's record as they will over the peer's.
   */
  @Override
  public long removeBeforeSnapshot(String peer, List<String> classes, String applied) {
    Map<String, Set<String>> pending = new HashMap<>();
    String after = applied;
    for (List<Scribe> page = store.since(peer, after, 1000); !page.isEmpty();
        page = store.since(peer, after, 1000)) {
      for (Scribe scribe : page) {
        SyncedRepository<?, ?> repository = repositoriesByKlass.get(scribe.klass());
        if (repository != null && scribe.type() == ScribeType.CREATE) {
          try {
            pending.computeIfAbsent(scribe.klass(), k -> new HashSet<>())
                .add(repository.keyOfTarget(scribe));
          } catch (RuntimeException e) {
            log.debug("a scribe for {} names no record: {}", peer, e.toString());
          }
        }
      }
      after = page.get(page.size() - 1).id();
    }
    long removed = 0;
    for (String klass : classes) {
      SyncedRepository<?, ?> repository = repositoriesByKlass.get(klass);
      if (repository != null) {
        removed += repository.removeAllBut(pending.getOrDefault(klass, Set.of()));
      }
    }
    if (removed > 0) {
      log.info("removed {} records for {} to replace with its snapshot", removed, peer);
    }
    return removed;
  }

  @Override
  public long recordCount(String klass) {
    return store.objectCount(klass);
  }

  @Override
  public SnapshotPage snapshotPage(String clientUid, String klass, String position, int limit) {
    return repositoriesByKlass.get(klass).storedOrNull()
        .snapshotPage(clientUid, trusted.contains(clientUid), position, limit);
  }

  @Override
  public void moveCursor(String clientUid, String cursor) {
    synchronized (clientLock) {
      store.saveClient(store.client(clientUid).withCursor(cursor));
    }
  }

  @Override
  public RpcLookup rpc(String klass, String method) {
    Map<String, RpcHandler> methods = rpc.get(klass);
    if (methods == null) {
      return new RpcLookup.NoSuchClass();
    }
    RpcHandler handler = methods.get(method);
    return handler == null ? new RpcLookup.NoSuchMethod() : new RpcLookup.Found(handler);
  }
}
