package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import io.syncro.runtime.internal.AuthThrottle;
import io.syncro.runtime.internal.Messages;
import io.syncro.runtime.internal.session.Outbound;
import io.syncro.runtime.internal.session.Scheduler;
import io.syncro.runtime.internal.session.SessionLimits;
import io.syncro.runtime.store.ClientState;
import io.syncro.runtime.store.MemoryStore;
import io.syncro.runtime.store.Retention;
import io.syncro.runtime.store.ScribeStore;
import io.syncro.runtime.store.StoreUsage;
import io.syncro.runtime.store.TrimResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Syncro node: the models it syncs, the store of its scribes and of what it knows of each
 * remote client, and its sessions. Share one per process; it is thread-safe.
 *
 * <pre>{@code
 * Syncro node = Syncro.builder().model(Note.class).build();
 * Session session = node.connect("client-42", bytes -> channel.write(bytes));
 * session.sync();                           // catch up both ways
 * session.receiveData(bytes);               // whatever the transport delivers
 * session.disconnect();                     // when the transport closes
 * node.repository(Note.class, String.class).save(note);   // records a scribe, pushes it live
 * }</pre>
 *
 * <p>(This file is long because of its {@link Builder}, one documented setter per setting;
 * recording lives in {@code Recording}, the fan-out in {@code Delivery}, what sessions see of the
 * node in {@code NodeForSessions}.)
 *
 * <p>A change is recorded as a scribe, stored, and pushed at once to every connected session of
 * its recipients, except the sessions of the client it came from. Scribes are stored and pushed
 * one at a time, in the order of their ids, so every peer receives them in that order.
 */
public final class Syncro implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Syncro.class);
  /** Peer keys whose failed authentications a node remembers; the least recent go first. */
  private static final int AUTH_KEYS_REMEMBERED = 100_000;

  /** The class and method under which the original exposes the last scribe id. */
  public static final String DEFAULT_RPC_CLASS = "Syncro::RPC::Default";

  public static final String LAST_SCRIBE_ID_METHOD = "last_scribe_id";

  private final ScribeStore store;
  private final boolean ownsStore;
  private final Map<Class<?>, SyncedRepository<?, ?>> repositoriesByType = new HashMap<>();
  private final Map<String, SyncedRepository<?, ?>> repositoriesByKlass = new HashMap<>();
  private final Map<String, Map<String, RpcHandler>> rpc;
  /** What sessions see of this node: its limits, its store, its repositories. */
  private final NodeForSessions forSessions;
  /** Runs session work that no thread handing it over can run: pushes' sends, timeouts. */
  private final ExecutorService sender =
      Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "syncro-send");
        thread.setDaemon(true);
        return thread;
      });
  private final SyncProgressListener progressListener;
  private final Authenticator authenticator;

  /** Fan-out of stored scribes to the open sessions, and the registry of those sessions. */
  private final Delivery delivery;
  /**
   * Runs what waits: on a shared store, the look for scribes whose announcement was lost; the
   * resyncs of sessions that could not apply a scribe for now.
   */
  private final ScheduledThreadPoolExecutor timer;
  private final Scheduler scheduler;
  /** Held while a client's state is read and written back. */
  private final Object clientLock = new Object();
  /** How long the history is kept. */
  private final Retention retention;
  /**
   * Held by the scheduled trim while it runs, on a thread of {@link #sender} (a file store's
   * compaction takes a while, the timer must not), and by {@link #close} before the store
   * closes: a trim already under way is skipped, one under way finishes first.
   */
  private final ReentrantLock trimming = new ReentrantLock();
  private volatile boolean closed;
  /** Stores what the repositories record, in order, and hands it to the fan-out. */
  private final Recording recording;
  /** The node's clock and the records' merge histories. */
  private final Convergence convergence;

  private Syncro(Builder builder) {
    this.store = builder.store == null ? new MemoryStore() : builder.store;
    this.ownsStore = builder.store == null;
    this.progressListener = builder.progressListener;
    this.authenticator = builder.authenticator;
    Map<String, Map<String, RpcHandler>> handlers = new HashMap<>();
    builder.rpc.forEach((klass, methods) -> handlers.put(klass, Map.copyOf(methods)));
    handlers.computeIfAbsent(DEFAULT_RPC_CLASS, k -> new HashMap<>());
    Map<String, RpcHandler> defaults = new HashMap<>(handlers.get(DEFAULT_RPC_CLASS));
    defaults.putIfAbsent(LAST_SCRIBE_ID_METHOD,
        (caller, args) -> store.lastIdFor(caller).<Object>map(id -> id).orElse(0));
    handlers.put(DEFAULT_RPC_CLASS, Map.copyOf(defaults));
    this.rpc = Map.copyOf(handlers);
    this.delivery = new Delivery(store, builder.sendStamps, !builder.trusted.isEmpty());
    this.recording = new Recording(store, delivery, Set.copyOf(builder.trusted), builder.sendStamps);
    this.convergence = new Convergence(store,
        builder.nodeUid != null ? builder.nodeUid : randomNodeUid(),
        System::currentTimeMillis, builder.maxClockSkew);
    for (BiFunction<ScribeStore, Syncro, SyncedRepository<?, ?>> binding : builder.models) {
      SyncedRepository<?, ?> repository = binding.apply(store, this);
      SyncModel<?, ?> model = repository.model();
      SyncedRepository<?, ?> taken = repositoriesByKlass.putIfAbsent(model.klass(), repository);
      if (taken != null) {
        throw new SyncroConfigurationException(model.type().getName() + " and "
            + taken.model().type().getName() + " have the same wire name " + model.klass());
      }
      repositoriesByType.put(model.type(), repository);
    }
    this.forSessions = new NodeForSessions(store, builder.sessionLimits(), authenticator,
        new AuthThrottle(builder.authFreeFailures, builder.authFirstBackoff,
            builder.authMaxBackoff, builder.maxAuthFailuresPerMinute, AUTH_KEYS_REMEMBERED,
            System::nanoTime),
        repositoriesByKlass, rpc, clientLock, recording, Set.copyOf(builder.trusted),
        delivery::hasOneBoundPeer);
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "syncro-timer");
      thread.setDaemon(true);
      return thread;
    });
    // Every request schedules its timeout, and nearly all are cancelled by the answer: drop
    // them at once rather than keep them until they would have run.
    timer.setRemoveOnCancelPolicy(true);
    this.scheduler = Scheduler.on(timer);
    this.retention = builder.retention;
    if (!builder.trimInterval.isZero()) {
      long every = builder.trimInterval.toMillis();
      timer.scheduleWithFixedDelay(() -> sender.execute(this::trimQuietly), every, every,
          TimeUnit.MILLISECONDS);
    }
    if (store.isShared()) {
      store.onAppendedElsewhere(delivery::deliverThrough);
      long every = builder.repairInterval.toMillis();
      timer.scheduleWithFixedDelay(delivery::repair, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A node uid for stamps when the application gives none: 64 random bits in hex. Unique enough
   * to order two nodes' changes of one millisecond, and short, since every field's stamp in every
   * record's history carries it.
   */
  private static String randomNodeUid() {
    return Long.toHexString(new SecureRandom().nextLong());
  }

  /** A builder with an in-memory store, no models, and the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- connecting ----

  /**
   * Starts a session with a remote client over a stream transport: Syncro frames what it sends,
   * and the application passes what it receives to {@link Session#receiveData}.
   */
  public Session connect(String clientUid, Connection connection) {
    requireNonNull(connection, "connection");
    return register(new Session(this, forSessions, requireUid(clientUid), null, framed(connection), true));
  }

  /**
   * Starts a session with a remote client over a message transport (WebSocket and the like): one
   * JSON message per transport message, received through {@link Session#receiveMessage}.
   */
  public Session connectMessages(String clientUid, MessageConnection connection) {
    requireNonNull(connection, "connection");
    return register(new Session(this, forSessions, requireUid(clientUid), null, messages(connection), false));
  }

  private static String requireUid(String clientUid) {
    requireNonNull(clientUid, "clientUid");
    if (clientUid.isEmpty()) {
      throw new SyncroConfigurationException("clientUid must not be empty");
    }
    return clientUid;
  }

  /**
   * Takes a connection from a peer that must authenticate (the {@code auth} extension) before
   * anything else: until it does, it is answered with nothing but 401, and after
   * {@code maxAuthFailures} bad tokens it is closed. Needs an {@link Authenticator}. Prefer
   * {@link #accept(Connection, String)} when the transport knows the peer's address: failed
   * attempts are then limited per address across connections too.
   */
  public Session accept(Connection connection) {
    return accept(connection, null);
  }

  /**
   * {@link #accept(Connection)} from a peer the transport names {@code peerKey}: its remote
   * address (without the port, which changes with every connection), or anything else that
   * stays the same when the peer reconnects. Failed authentications are counted per key across
   * connections, and a key that fails too often waits before its next token is even checked
   * (see {@link Builder#authBackoff}). Null: only the per-connection and per-node limits apply.
   */
  public Session accept(Connection connection, String peerKey) {
    requireNonNull(connection, "connection");
    return new Session(this, forSessions, requireAuthenticator(), peerKey, framed(connection), true);
  }

  /**
   * Whether this node can take peers that authenticate ({@link #accept}): it was built with an
   * {@link Authenticator}.
   */
  public boolean acceptsTokens() {
    return authenticator != null;
  }

  /** {@link #accept(Connection)} for a message transport. */
  public Session acceptMessages(MessageConnection connection) {
    return acceptMessages(connection, null);
  }

  /** {@link #accept(Connection, String)} for a message transport. */
  public Session acceptMessages(MessageConnection connection, String peerKey) {
    requireNonNull(connection, "connection");
    return new Session(this, forSessions, requireAuthenticator(), peerKey, messages(connection), false);
  }

  /** Always null: the uid an accepted session starts with; fails without an authenticator. */
  private String requireAuthenticator() {
    if (authenticator == null) {
      throw new SyncroConfigurationException(
          "accept() needs an authenticator: add .authenticator(...) to the builder, or bind the"
              + " client with connect(uid, connection)");
    }
    return null;
  }

  private static Outbound framed(Connection connection) {
    return new Outbound() {
      @Override
      public void send(String json) {
        connection.send(Messages.frame(json));
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  private static Outbound messages(MessageConnection connection) {
    return new Outbound() {
      @Override
      public void send(String json) {
        connection.send(json);
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  void registerAuthenticated(Session session) {
    register(session);
  }

  private Session register(Session session) {
    synchronized (clientLock) {
      // Known from now on, with whatever cursor it had.
      store.saveClient(store.client(session.clientUid()));
    }
    delivery.add(session);
    log.debug("session of {} connected", session.clientUid());
    return session;
  }

  void unregister(Session session) {
    if (session.clientUid() == null) {
      return; // accepted, never authenticated: never registered
    }
    delivery.remove(session);
  }

  /**
   * How many scribes and requests of original (Ruby) peers this node refused, skipped or could
   * not handle, and answered as if it had, because an original peer exits on any {@code error}
   * it receives: each is logged; the peer is put back in step by what follows (a removal, this
   * node's state, or the sync that fetches again what it could not apply).
   */
  public long originalPeerRefusals() {
    return forSessions.sparedOriginalPeers();
  }

  /** Tokens refused since this node started, from every peer that authenticates. */
  public long authenticationFailures() {
    return forSessions.authThrottle().failures();
  }

  /**
   * Authentications refused since this node started without their token being checked,
   * because too many had failed lately from the same peer key or on the node (see
   * {@link Builder#authBackoff} and {@link Builder#maxAuthFailuresPerMinute}); each was
   * answered 429 and its connection closed.
   */
  public long throttledAuthentications() {
    return forSessions.authThrottle().throttled();
  }

  /** The sessions open now. */
  public List<Session> sessions() {
    return delivery.open();
  }

  /** Every remote client this node knows of, with its cursor and whether it has synced. */
  public List<ClientState> clients() {
    return store.clients();
  }

  /**
   * How much this node's store keeps (scribes, records, tombstones, bytes, the first scribe
   * kept, when history was last trimmed), to watch its history grow. It walks what it counts:
   * call it now and then, not on every change.
   */
  public StoreUsage storeUsage() {
    return store.usage();
  }

  /**
   * Trims this node's history now, as the node does every {@link Builder#trimInterval}: drops the
   * scribes its {@link Builder#retention} no longer keeps, and the tombstones that go with them,
   * but never one a session is still sending, nor one a peer it trusts (its server) has not yet
   * synced past since this node started: a client's own changes live only in its log until its
   * server has them. A file store also compacts its log, when that drops anything or the log has
   * doubled since. Clients behind what is kept then catch up from a snapshot. Safe to call from
   * any thread, at any time.
   *
   * @throws StorageException when the store fails; what it held is as it was
   */
  public TrimResult trimHistory() {
    long keepFrom = forSessions.keepFromTrusted();
    for (Session session : sessions()) {
      keepFrom = Math.min(keepFrom, session.oldestNeeded());
    }
    return store.trim(retention, keepFrom, Instant.now());
  }

  private void trimQuietly() {
    if (!trimming.tryLock()) {
      return; // the one before is still at it
    }
    try {
      if (closed) {
        return;
      }
      TrimResult result = trimHistory();
      if (result.scribesDropped() > 0 || result.tombstonesDropped() > 0) {
        log.debug("trimmed the history: {}", result);
      }
    } catch (RuntimeException e) {
      log.warn("could not trim the history; trying again later: {}", e.toString());
    } finally {
      trimming.unlock();
    }
  }

  // ---- recording ----

  /**
   * The repository of a synced class, through which the application saves and deletes.
   *
   * @throws SyncroConfigurationException when the class is not a model of this node, or its id
   *     has another type
   */
  public <T, ID> SyncedRepository<T, ID> repository(Class<T> type, Class<ID> idType) {
    requireNonNull(type, "type");
    requireNonNull(idType, "idType");
    SyncedRepository<?, ?> repository = repositoriesByType.get(type);
    if (repository == null) {
      throw new SyncroConfigurationException(
          type.getName() + " is not a model of this node: add .model(" + type.getSimpleName()
              + ".class) to its builder");
    }
    if (!repository.model().idType().equals(idType)) {
      throw new SyncroConfigurationException(type.getName() + " has an id of type "
          + repository.model().idType().getName() + ", not " + idType.getName());
    }
    @SuppressWarnings("unchecked") // both types just checked
    SyncedRepository<T, ID> typed = (SyncedRepository<T, ID>) repository;
    return typed;
  }

  /**
   * Runs a block whose changes are not recorded (the original's {@code Scriber.disable}): saves
   * and deletes on this thread change the repositories but make no scribes. Other threads, and
   * replays of peers' scribes, record as usual.
   */
  public void withoutRecording(Runnable block) {
    requireNonNull(block, "block");
    withoutRecording(() -> {
      block.run();
      return null;
    });
  }

  /** {@link #withoutRecording(Runnable)} for a block with a result. */
  public <V> V withoutRecording(Supplier<V> block) {
    requireNonNull(block, "block");
    return recording.suspendedWhile(block);
  }

  // ---- what sessions use ----

  /**
   * The store of this node's scribes, client cursors and objects. Not public: writing into it
   * around the node would bypass the order and the pushes of {@link Recording}.
   */
  ScribeStore store() {
    return store;
  }

  Executor sender() {
    return sender;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  SyncProgressListener progressListener() {
    return progressListener;
  }

  /** Disconnects every session and closes the store, unless the application passed it in. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    sessions().forEach(Session::disconnect);
    sender.shutdown();
    trimming.lock(); // a trim under way finishes before the store closes; none starts after
    try {
      if (ownsStore) {
        store.close();
      }
    } finally {
      trimming.unlock();
    }
  }

  /**
   * Builds a {@link Syncro} node. Not thread-safe; the node it builds is. A value out of range is
   * refused at once with {@link SyncroConfigurationException}.
   */
  public static final class Builder {
    private ScribeStore store;
    private final List<BiFunction<ScribeStore, Syncro, SyncedRepository<?, ?>>> models =
        new ArrayList<>();
    private final Map<String, Map<String, RpcHandler>> rpc = new LinkedHashMap<>();
    private final Map<Class<?>, ScribeAuthorizer<?>> authorizers = new HashMap<>();
    private final Map<Class<?>, Map<String, FieldMerge>> merges = new HashMap<>();
    private final Set<String> trusted = new LinkedHashSet<>();
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxFrameBytes = Messages.MAX_FRAME_BYTES;
    private int maxRecoveredFrameBytes = 8 * 1024 * 1024;
    private int catchUpWindow = 64;
    private int syncPageSize = 1_000;
    private SyncProgressListener progressListener = (session, done, total) -> { };
    private Duration repairInterval = Duration.ofSeconds(1);
    private int maxPendingRequests = 1_000;
    private long maxQueuedBytes = 4L * 1024 * 1024;
    private Authenticator authenticator;
    private int maxAuthFailures = 3;
    private int authFreeFailures = 5;
    private Duration authFirstBackoff = Duration.ofSeconds(1);
    private Duration authMaxBackoff = Duration.ofMinutes(15);
    private int maxAuthFailuresPerMinute = 600;
    private int maxUnauthenticatedFrameBytes = 4_096;
    private long maxUnauthenticatedBytes = 16L * 1024 * 1024;
    private int maxScribesPerSecond;
    private Duration resyncDelay = Duration.ofSeconds(1);
    private String nodeUid;
    private Duration maxClockSkew = Duration.ofMinutes(1);
    private Retention retention = Retention.forever();
    private Duration trimInterval = Duration.ofMinutes(1);
    private boolean sendStamps = true;

    private Builder() {}

    /** Where scribes and client cursors live; an in-memory store by default. */
    public Builder store(ScribeStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /**
     * Syncs a {@link io.syncro.Syncable} class, its objects kept in the node's store (a
     * {@link StoredRepository}), so they last as long as the store does.
     */
    public Builder model(Class<?> type) {
      requireNonNull(type, "type");
      SyncModel<?, ?> model = SyncModels.of(type);
      models.add((store, node) -> bindStored(model, store, node));
      return this;
    }

    private <T, ID> SyncedRepository<T, ID> bindStored(
        SyncModel<T, ID> model, ScribeStore store, Syncro node) {
      return bind(model, new StoredRepository<>(model, store), node, true);
    }

    /** Syncs a {@link io.syncro.Syncable} class whose objects live in the given repository. */
    public <T, ID> Builder model(Class<T> type, Class<ID> idType, Repository<T, ID> repository) {
      requireNonNull(repository, "repository");
      SyncModel<T, ID> model = SyncModels.of(type, idType);
      models.add((store, node) -> bind(model, repository, node, false));
      return this;
    }

    /**
     * @param inNodeStore whether the objects live in the node's store, so that each is written
     *     in one store operation with its scribe
     */
    private <T, ID> SyncedRepository<T, ID> bind(
        SyncModel<T, ID> model, Repository<T, ID> repository, Syncro node, boolean inNodeStore) {
      @SuppressWarnings("unchecked") // authorizer() keys each authorizer by its own class
      ScribeAuthorizer<T> own = (ScribeAuthorizer<T>) authorizers.getOrDefault(
          model.type(), ScribeAuthorizer.allowAll());
      ScribeAuthorizer<T> recipientsOnly = ScribeAuthorizer.recipientsOnly(model);
      Set<String> trustedPeers = Set.copyOf(trusted);
      ScribeAuthorizer<T> authorizer = change ->
          (trustedPeers.contains(change.client()) || recipientsOnly.allows(change))
              && own.allows(change);
      Recording recording = node.recording;
      return new SyncedRepository<>(model, repository, recording::record, authorizer,
          inNodeStore ? recording::writeAtomically : null, node.convergence,
          Map.copyOf(merges.getOrDefault(model.type(), Map.of())), recording::onceWritten);
    }

    /**
     * Merges concurrent changes of one field of a class instead of keeping the latest: for
     * example {@code .merge(Note.class, "tags", FieldMerge.union())} keeps the tags every node
     * added. Every node syncing the class should register the same merges. See
     * {@link FieldMerge} for what a merge must be.
     *
     * @param field the field's name, as in scribe data (its Java name)
     */
    public Builder merge(Class<?> type, String field, FieldMerge merge) {
      requireNonNull(type, "type");
      requireNonNull(field, "field");
      requireNonNull(merge, "merge");
      merges.computeIfAbsent(type, k -> new HashMap<>()).put(field, merge);
      return this;
    }

    /**
     * Peers that see and may change every record: on a client node, its server (or servers).
     * Every scribe this node records is addressed to them as well as to the record's own
     * recipients, and the rule that a client changes only records it can see does not apply to
     * them (authorizers still do).
     */
    public Builder trust(String... clientUids) {
      for (String uid : clientUids) {
        trusted.add(requireNonNull(uid, "a trusted uid is null"));
      }
      return this;
    }

    /**
     * Lets a class's authorizer refuse peers' changes to its objects (the original's
     * {@code scribe_authorized?}), on top of the rule that no client changes a record it cannot
     * see.
     */
    public <T> Builder authorizer(Class<T> type, ScribeAuthorizer<T> authorizer) {
      authorizers.put(requireNonNull(type, "type"), requireNonNull(authorizer, "authorizer"));
      return this;
    }

    /** Exposes a method to peers as {@code klass.method}, as the original's RPC does. */
    public Builder rpc(String klass, String method, RpcHandler handler) {
      requireNonNull(klass, "klass");
      requireNonNull(method, "method");
      requireNonNull(handler, "handler");
      rpc.computeIfAbsent(klass, k -> new LinkedHashMap<>()).put(method, handler);
      return this;
    }

    /** How long a request waits for its answer; 30 seconds by default. */
    public Builder requestTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new SyncroConfigurationException("requestTimeout must be positive: " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /** The longest frame accepted from a peer, at most (and by default) 65,535 bytes. */
    public Builder maxFrameBytes(int bytes) {
      if (bytes < 64 || bytes > Messages.MAX_FRAME_BYTES) {
        throw new SyncroConfigurationException(
            "maxFrameBytes must be 64 to " + Messages.MAX_FRAME_BYTES + ": " + bytes);
      }
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * The longest frame read from an original (Ruby) peer whose length passed 65,535 bytes: the
     * original writes lengths modulo 65,536 (a sync answer of 700 scribes, say), and such a frame
     * is read on until it makes one JSON object, up to this many bytes; 8 MiB by default, 0 to
     * refuse them. Past it, or when no such length makes an object, the connection is closed.
     * Java peers never send one.
     */
    public Builder maxRecoveredFrameBytes(int bytes) {
      if (bytes < 0) {
        throw new SyncroConfigurationException("maxRecoveredFrameBytes must not be negative: " + bytes);
      }
      this.maxRecoveredFrameBytes = bytes;
      return this;
    }

    /**
     * How many scribes sent as {@code add_scribe} may await the peer's answer at once; 64 by
     * default. It bounds the stream of a catch-up to an original peer, and the pushes to a live
     * peer: past it, say while another peer's catch-up is relayed, pushes stop and the peer gets
     * the scribes from the log as it answers, then live pushes again.
     */
    public Builder catchUpWindow(int scribes) {
      if (scribes < 1) {
        throw new SyncroConfigurationException("catchUpWindow must be positive: " + scribes);
      }
      this.catchUpWindow = scribes;
      return this;
    }

    /** How many scribes are read from the store at once while answering a sync; 1,000. */
    public Builder syncPageSize(int scribes) {
      if (scribes < 1) {
        throw new SyncroConfigurationException("syncPageSize must be positive: " + scribes);
      }
      this.syncPageSize = scribes;
      return this;
    }

    /**
     * On a store shared by a fleet, how often the node looks for scribes of other nodes whose
     * announcement it missed; 1 second by default.
     */
    public Builder repairInterval(Duration interval) {
      requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new SyncroConfigurationException("repairInterval must be positive: " + interval);
      }
      this.repairInterval = interval;
      return this;
    }

    /**
     * How many requests a peer may leave unanswered before its session is closed; 1,000 by
     * default. A peer that stops answering must not make the node wait on ever more.
     */
    public Builder maxPendingRequests(int requests) {
      if (requests < 1) {
        throw new SyncroConfigurationException("maxPendingRequests must be positive: " + requests);
      }
      this.maxPendingRequests = requests;
      return this;
    }

    /**
     * How many bytes of messages may wait for a slow peer before its session is closed (it
     * catches up on its next sync); 4 MiB by default. Live pushes never wait for a peer: they
     * queue, so one slow peer holds up nobody else.
     */
    public Builder maxQueuedBytes(long bytes) {
      if (bytes < Messages.MAX_FRAME_BYTES) {
        throw new SyncroConfigurationException(
            "maxQueuedBytes must hold at least one frame (" + Messages.MAX_FRAME_BYTES + "): " + bytes);
      }
      this.maxQueuedBytes = bytes;
      return this;
    }

    /**
     * Checks the tokens of peers taken with {@link Syncro#accept} (the {@code auth} extension).
     * Peers bound with {@link Syncro#connect} need none: their transport vouched for them.
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * How many bad tokens an accepted peer may present on one connection before it is closed; 3
     * by default. Across connections, see {@link #authBackoff} and
     * {@link #maxAuthFailuresPerMinute}.
     */
    public Builder maxAuthFailures(int failures) {
      if (failures < 1) {
        throw new SyncroConfigurationException("maxAuthFailures must be positive: " + failures);
      }
      this.maxAuthFailures = failures;
      return this;
    }

    /**
     * Limits failed authentications per peer key (see {@link Syncro#accept(Connection, String)};
     * {@code SyncroServer} and {@code SyncroWebSocketServer} give the remote address), across
     * connections, so that reconnecting does not reset the count: after {@code freeFailures}
     * failures from a key, each further one blocks the key for a delay that doubles from
     * {@code first} up to {@code max}, during which its attempts are answered 429 without their
     * token being checked. A key is forgotten after {@code max} without failures, and cleared by
     * a success. By default 5 failures, then 1 s doubling up to 15 minutes: a guesser from one
     * address gets about 15 guesses in its first quarter of an hour, then 4 an hour.
     */
    public Builder authBackoff(int freeFailures, Duration first, Duration max) {
      requireNonNull(first, "first");
      requireNonNull(max, "max");
      if (freeFailures < 1 || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new SyncroConfigurationException("authBackoff needs at least one free failure and"
            + " 0 < first <= max: " + freeFailures + ", " + first + ", " + max);
      }
      this.authFreeFailures = freeFailures;
      this.authFirstBackoff = first;
      this.authMaxBackoff = max;
      return this;
    }

    /**
     * Failed authentications a minute this node allows from all its peers together, so that
     * guesses spread over many addresses are slowed too: once a minute's worth have failed,
     * every {@code auth} is answered 429, unchecked, until the budget refills (continuously, a
     * minute's worth a minute). 600 by default; 0 for no limit. A node limit lets someone who
     * fails on purpose from many addresses hold everyone else's sign-in back while they do:
     * raise it for a node with many users, lower it for one with few.
     */
    public Builder maxAuthFailuresPerMinute(int failures) {
      if (failures < 0) {
        throw new SyncroConfigurationException("maxAuthFailuresPerMinute must not be negative: "
            + failures);
      }
      this.maxAuthFailuresPerMinute = failures;
      return this;
    }

    /**
     * The longest frame (or message) accepted from a peer taken with {@link Syncro#accept} before
     * it has authenticated: room for an {@code auth} message and its token, and no more; 4,096
     * bytes by default. Past it the connection is closed.
     */
    public Builder maxUnauthenticatedFrameBytes(int bytes) {
      if (bytes < 64 || bytes > Messages.MAX_FRAME_BYTES) {
        throw new SyncroConfigurationException(
            "maxUnauthenticatedFrameBytes must be 64 to " + Messages.MAX_FRAME_BYTES + ": " + bytes);
      }
      this.maxUnauthenticatedFrameBytes = bytes;
      return this;
    }

    /**
     * How many bytes of partial frames all the connections that have not authenticated yet may
     * make the node hold together; 16 MiB by default. A connection whose frame would go past it
     * is closed, so thousands of connections that never authenticate cannot exhaust the heap.
     */
    public Builder maxUnauthenticatedBytes(long bytes) {
      if (bytes < Messages.MAX_FRAME_BYTES) {
        throw new SyncroConfigurationException("maxUnauthenticatedBytes must hold at least one frame ("
            + Messages.MAX_FRAME_BYTES + "): " + bytes);
      }
      this.maxUnauthenticatedBytes = bytes;
      return this;
    }

    /**
     * How many {@code add_scribe} messages a second one peer may send (averaged over a second);
     * past it they are answered with an error and applied on a later sync. Unlimited (0) by
     * default. Sync answers are not counted: a peer catching up is never throttled by this.
     */
    public Builder maxScribesPerSecond(int scribes) {
      if (scribes < 0) {
        throw new SyncroConfigurationException("maxScribesPerSecond must not be negative: " + scribes);
      }
      this.maxScribesPerSecond = scribes;
      return this;
    }

    /**
     * How long a session waits before it syncs again after a peer's scribe could not be applied
     * for now (this node's store failed, the peer sent too fast); doubled on each failure, up to
     * 30 seconds. 1 second by default.
     */
    public Builder resyncDelay(Duration delay) {
      requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero()) {
        throw new SyncroConfigurationException("resyncDelay must be positive: " + delay);
      }
      this.resyncDelay = delay;
      return this;
    }

    /**
     * The uid in this node's stamps, which orders changes made in the same millisecond on two
     * nodes. Any text unique to the node; a random one, new at each start, by default (nodes of
     * a fleet sharing one store need different ones, which the default gives).
     */
    public Builder nodeUid(String uid) {
      requireNonNull(uid, "uid");
      if (uid.isEmpty() || uid.contains(".")) {
        throw new SyncroConfigurationException("nodeUid must be non-empty text without dots: " + uid);
      }
      this.nodeUid = uid;
      return this;
    }

    /**
     * How far ahead of this node's clock a peer's stamp may be and still be kept as it is; one
     * minute by default. A stamp further ahead counts as made when it arrived, so a peer cannot
     * make its writes win for ever by stamping them next year.
     */
    public Builder maxClockSkew(Duration skew) {
      requireNonNull(skew, "skew");
      if (skew.isNegative()) {
        throw new SyncroConfigurationException("maxClockSkew must not be negative: " + skew);
      }
      this.maxClockSkew = skew;
      return this;
    }

    /**
     * Whether scribes go on the wire with their {@code "stamp"} (the default). Peers that are
     * not told a change's stamp stamp it when it arrives (see the README's merge rules): turn it
     * off only for peers that cannot take the extra key.
     */
    public Builder sendStamps(boolean send) {
      this.sendStamps = send;
      return this;
    }

    /**
     * How long this node keeps its history: scribes past the retention are dropped (see
     * {@link Retention}), and clients that were away longer get a snapshot of the records
     * instead. {@link Retention#forever()} by default.
     */
    public Builder retention(Retention retention) {
      this.retention = requireNonNull(retention, "retention");
      return this;
    }

    /**
     * How often the node trims its history ({@link Syncro#trimHistory()}); once a minute by
     * default. {@link Duration#ZERO} turns it off, for an application that calls
     * {@code trimHistory()} itself. With the default retention this still compacts a file
     * store's log once it has doubled.
     */
    public Builder trimInterval(Duration interval) {
      requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new SyncroConfigurationException("trimInterval must not be negative: " + interval);
      }
      this.trimInterval = interval;
      return this;
    }

    /** Follows catch-ups as they are applied. */
    public Builder progressListener(SyncProgressListener listener) {
      this.progressListener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The node.
     *
     * @throws SyncroConfigurationException when two models share a wire name, or the catch-up
     *     window does not fit under the bound on unanswered requests
     */
    public Syncro build() {
      if (catchUpWindow >= maxPendingRequests) {
        throw new SyncroConfigurationException("catchUpWindow (" + catchUpWindow
            + ") must be below maxPendingRequests (" + maxPendingRequests + ")");
      }
      return new Syncro(this);
    }

    private SessionLimits sessionLimits() {
      return new SessionLimits(requestTimeout, maxFrameBytes, maxRecoveredFrameBytes,
          Math.min(maxUnauthenticatedFrameBytes, maxFrameBytes), maxUnauthenticatedBytes,
          maxAuthFailures, catchUpWindow, syncPageSize, maxPendingRequests, maxQueuedBytes,
          maxScribesPerSecond, resyncDelay, sendStamps);
    }
  }
}
