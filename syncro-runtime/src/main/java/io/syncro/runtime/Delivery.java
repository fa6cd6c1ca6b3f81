package io.syncro.runtime;

import io.syncro.runtime.internal.ScribeJson;
import io.syncro.runtime.internal.ScribeSequence;
import io.syncro.runtime.store.ScribeStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's fan-out: hands each stored scribe to the open sessions of its recipients, in the
 * order of ids, never to the sessions of the client it came from. On a store a fleet shares it
 * also delivers the scribes other nodes appended, as they are announced or as the periodic
 * repair finds them. Keeps the registry of open sessions. Never waits on a session: a push only
 * queues (see {@link Session#push}).
 */
final class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  /** Bounds the memory of {@link #warnIfWithheldFromOnlyPeer}; a few are enough to be seen. */
  private static final int MAX_WITHHELD_WARNINGS = 64;

  private final ScribeStore store;
  /** Whether scribes go out with their stamps (see {@code Syncro.Builder#sendStamps}). */
  private final boolean sendStamps;
  private final ConcurrentHashMap<String, Set<Session>> sessions = new ConcurrentHashMap<>();
  /** Held while scribes are stored and delivered, so pushes go out in the order of ids. */
  private final Object lock = new Object();
  /** The sequence through which scribes have been delivered to sessions; under lock. */
  private long deliveredThrough;
  /** Whether the node trusts some peer, whose changes then always reach it. */
  private final boolean trustsAPeer;
  /**
   * The scribes this thread stored inside {@link #holdingPushes}, to push once the store has
   * written them; null outside it.
   */
  private final ThreadLocal<List<Held>> held = new ThreadLocal<>();
  /** The classes and peers already warned of in {@link #warnIfWithheldFromOnlyPeer}. */
  private final Set<String> warnedWithheld = ConcurrentHashMap.newKeySet();

  Delivery(ScribeStore store, boolean sendStamps, boolean trustsAPeer) {
    this.store = store;
    this.sendStamps = sendStamps;
    this.trustsAPeer = trustsAPeer;
    this.deliveredThrough = store.lastSequence();
  }

  // ---- the registry ----

  void add(Session session) {
    sessions.computeIfAbsent(session.clientUid(), uid -> new CopyOnWriteArraySet<>()).add(session);
  }

  void remove(Session session) {
    sessions.computeIfPresent(session.clientUid(), (uid, set) -> {
      set.remove(session);
      return set.isEmpty() ? null : set;
    });
  }

  /**
   * Whether this node talks to exactly one peer, bound by its uid ({@code connect}), as a client
   * talks to its server; a server that authenticates its clients ({@code accept}) never does.
   */
  boolean hasOneBoundPeer() {
    return oneBoundPeer() != null;
  }

  /** The uid of the one peer bound by uid, or null; sessions come and go meanwhile. */
  private String oneBoundPeer() {
    Iterator<Map.Entry<String, Set<Session>>> open = sessions.entrySet().iterator();
    if (!open.hasNext()) {
      return null;
    }
    Map.Entry<String, Set<Session>> only = open.next();
    if (open.hasNext() || only.getValue().stream().anyMatch(Session::accepted)) {
      return null;
    }
    return only.getKey();
  }

  List<Session> open() {
    List<Session> open = new ArrayList<>();
    sessions.values().forEach(open::addAll);
    return open;
  }

  // ---- delivering ----

  /**
   * Stores a scribe with {@code append} and delivers it, as one step: no other scribe is stored
   * or pushed in between, so pushes leave in the order of ids.
   *
   * @param jsonOf the stored scribe's JSON, asked for only when some session needs it
   */
  Scribe appendAndDeliver(Supplier<Scribe> append, Function<Scribe, String> jsonOf) {
    synchronized (lock) {
      Scribe stored = append.get();
      List<Held> holding = held.get();
      if (holding != null) {
        holding.add(new Held(stored, jsonOf));
      } else {
        deliver(ScribeSequence.of(stored.id()), stored, () -> jsonOf.apply(stored));
      }
      return stored;
    }
  }

  /**
   * Runs {@code writes}, which store their scribes in a batch ({@link ScribeStore#batch}), and
   * pushes the scribes they stored only once it returned, when the store has written them: a
   * peer is never pushed a scribe a crash could still take back. Another thread's scribe stored
   * meanwhile is pushed after them, in the order of ids, as they are then read back. When
   * {@code writes} fails, nothing held is pushed: what the store did write goes out with the
   * next scribe delivered, or with a sync.
   */
  <T> T holdingPushes(Supplier<T> writes) {
    if (held.get() != null) {
      return writes.get();
    }
    List<Held> holding = new ArrayList<>();
    held.set(holding);
    T result;
    try {
      result = writes.get();
    } finally {
      held.remove();
    }
    synchronized (lock) {
      for (Held scribe : holding) {
        deliver(ScribeSequence.of(scribe.stored.id()), scribe.stored,
            () -> scribe.jsonOf.apply(scribe.stored));
      }
    }
    return result;
  }

  /** A scribe stored in a batch, not yet pushed, and how to write its JSON when it is. */
  private record Held(Scribe stored, Function<Scribe, String> jsonOf) {}

  /**
   * Pushes every scribe stored up to and including the given sequence that has not been pushed
   * yet, in order: those other nodes of a fleet appended (found in the store), then this one.
   */
  private void deliver(long sequence, Scribe stored, Supplier<String> json) {
    if (sequence <= deliveredThrough) {
      return;
    }
    if (sequence > deliveredThrough + 1) {
      for (Scribe missed : store.range(deliveredThrough, sequence - 1)) {
        push(missed, () -> ScribeJson.wire(missed, sendStamps));
      }
    }
    push(stored, json);
    deliveredThrough = sequence;
  }

  /** Delivers what another node appended, up to the announced sequence. */
  void deliverThrough(long sequence) {
    try {
      synchronized (lock) {
        if (sequence <= deliveredThrough) {
          return;
        }
        for (Scribe scribe : store.range(deliveredThrough, sequence)) {
          push(scribe, () -> ScribeJson.wire(scribe, sendStamps));
          deliveredThrough = ScribeSequence.of(scribe.id());
        }
      }
    } catch (RuntimeException e) {
      // The next announcement or repair delivers it; a sync always does.
      log.warn("could not deliver scribes through {}: {}", sequence, e.toString());
    }
  }

  /** Delivers whatever the store holds that was never delivered here (a lost announcement). */
  void repair() {
    try {
      deliverThrough(store.lastSequence());
    } catch (RuntimeException e) {
      log.warn("could not look for undelivered scribes: {}", e.toString());
    }
  }

  /**
   * Pushes a stored scribe to the sessions of everyone it is for, each its own view of it (see
   * {@link Scribe#forClient}); writes each view's JSON once, and only if a session needs it.
   */
  private void push(Scribe stored, Supplier<String> json) {
    String origin = stored.origin().orElse(null);
    Map<Scribe, String> written = new IdentityHashMap<>(4);
    Function<Scribe, String> once = view -> written.computeIfAbsent(view,
        v -> v == stored ? json.get() : ScribeJson.wire(v, sendStamps));
    Recipients audience = stored.audience();
    warnIfWithheldFromOnlyPeer(stored, audience);
    if (audience.isEveryone()) {
      for (Set<Session> clientSessions : sessions.values()) {
        pushTo(clientSessions, stored, once, origin);
      }
    } else {
      for (String uid : audience.uids()) {
        Set<Session> clientSessions = sessions.get(uid);
        if (clientSessions != null) {
          pushTo(clientSessions, stored, once, origin);
        }
      }
    }
  }

  /**
   * The trap of a client that forgot {@code trust("server")}: its own changes are addressed to
   * their recipients (a note's owner), which leave its one peer, the server, out, so they never
   * go up, and nothing else would say so. Warned once per class and peer; a node that trusts a
   * peer, talks to several, or authenticates its peers (a server) withholds by design and is not
   * warned.
   */
  private void warnIfWithheldFromOnlyPeer(Scribe stored, Recipients audience) {
    if (trustsAPeer || stored.origin().isPresent() || stored.isRemoval() || audience.isEveryone()) {
      return;
    }
    String peer = oneBoundPeer();
    if (peer != null && !audience.includes(peer) && warnedWithheld.size() < MAX_WITHHELD_WARNINGS
        && warnedWithheld.add(stored.klass() + '\0' + peer)) {
      log.warn("this node's changes of {} are not sent to its peer {}: {} is not among their"
          + " recipients ({}). If {} is this node's server, build the node with"
          + " .trust(\"{}\") so that everything it records goes up; otherwise add {} to the"
          + " recipients (scribeClients()).", stored.klass(), peer, peer, audience.uids(), peer,
          peer, peer);
    }
  }

  private static void pushTo(Set<Session> clientSessions, Scribe stored,
      Function<Scribe, String> json, String origin) {
    for (Session session : clientSessions) {
      if (session.clientUid().equals(origin)) {
        continue;
      }
      Optional<Scribe> view = stored.forClient(session.clientUid());
      if (view.isPresent()) {
        session.push(view.get(), json.apply(view.get()));
      }
    }
  }
}
