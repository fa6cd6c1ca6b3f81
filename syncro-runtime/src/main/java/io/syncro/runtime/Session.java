package io.syncro.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.syncro.runtime.internal.Backoff;
import io.syncro.runtime.internal.FrameDecoder;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import io.syncro.runtime.internal.RateLimit;
import io.syncro.runtime.store.ScribeStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to one remote client. The application feeds it what the transport receives
 * ({@link #receiveData} for streams, {@link #receiveMessage} for message transports), asks it to
 * {@link #sync()}, and calls {@link #disconnect()} when the transport closes. Get one from
 * {@link Syncro#connect} or {@link Syncro#connectMessages} (the transport knows the client), or
 * {@link Syncro#accept} (the peer authenticates first).
 *
 * <p>Thread-safe. Received data is handled on the thread that hands it over, in order; no
 * exception escapes to that thread: a message that cannot be handled is answered with an
 * {@code error}, or logged and ignored, as the protocol says; a stream that breaks the framing is
 * closed.
 *
 * <p>(For whoever changes this file: it is long because it still holds several jobs, under the
 * {@code // ----} headings: framing and dispatch, requests in flight, authentication, scribe
 * intake, both directions of a catch-up, the outbox and RPC. They are due to become parts of
 * their own on one thread of control; {@code docs/architecture.md} maps them meanwhile.)
 *
 * <p>The futures this class returns are the caller's own: completing one changes nothing in the
 * session. They complete on the thread that hands the session the peer's answer (the
 * transport's reading thread), on the node's timer thread when a request times out, or on the
 * thread that disconnects. Do not block in a callback attached to them: use the {@code ...Async}
 * variants to move work elsewhere.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Syncro node;
  private final ScribeStore store;
  /** Null until an accepted session authenticates; never changes after that. */
  private volatile String clientUid;
  private final CompletableFuture<String> authenticated = new CompletableFuture<>();
  private int authFailures;
  /** Bytes of a partial frame this session holds against the node's budget before auth. */
  private final AtomicInteger heldBeforeAuth = new AtomicInteger();
  private final Outbound outbound;
  private final FrameDecoder decoder;
  private final AtomicLong requestIds = new AtomicLong();
  private final RateLimit rateLimit;
  /** Set when a scribe could not be applied for now; see freezeCursor(). */
  private volatile boolean cursorFrozen;
  private final AtomicBoolean resyncScheduled = new AtomicBoolean();
  private static final Duration MAX_RESYNC_DELAY = Duration.ofSeconds(30);
  /** The delay before each resync: resyncDelay, doubled per failure up to 30 seconds. */
  private final Backoff resyncBackoff;
  /** Requests sent and not answered yet, by id; ordered, for errors that carry no id. */
  private final ConcurrentSkipListMap<Long, CompletableFuture<JsonNode>> pending =
      new ConcurrentSkipListMap<>();
  private volatile boolean closed;

  /** Held while received data is handled, so messages are handled one at a time, in order. */
  private final Object receiveLock = new Object();
  /** The catch-up this node receives from the peer; changed under receiveLock only. */
  private volatile IncomingCatchUp incoming;

  /** Guards the outbox and the live-push state below; never held while the transport sends. */
  private final Object sendLock = new Object();
  /** Messages waiting to be sent, oldest first, and their size in bytes. */
  private final ArrayDeque<String> outbox = new ArrayDeque<>();
  private long queuedBytes;
  /** Whether a thread is sending the outbox now. */
  private boolean draining;
  /** Whether new scribes are pushed as they are recorded: after the peer's sync is answered. */
  private boolean live;
  /** The sequence of the newest scribe of this node the peer has been sent. */
  private long lastSentSequence;

  /** Guards the catch-up this node streams to the peer; taken before sendLock, never after. */
  private final Object outgoingLock = new Object();
  private volatile OutgoingCatchUp outgoing;
  /** Where the next page of the paged catch-up under way starts, or null; under outgoingLock. */
  private String pagedNext;
  /** How many scribes remained after the page handed out last, as counted at the start. */
  private long pagedRemaining;
  private long outgoingGeneration;

  Session(Syncro node, String clientUid, Outbound outbound, boolean framed) {
    this.node = node;
    this.store = node.store();
    this.clientUid = clientUid;
    this.outbound = outbound;
    this.decoder = framed
        ? new FrameDecoder(clientUid == null ? node.maxUnauthenticatedFrameBytes() : node.maxFrameBytes())
        : null;
    this.rateLimit = new RateLimit(node.maxScribesPerSecond());
    Duration firstResync = node.resyncDelay();
    this.resyncBackoff = new Backoff(firstResync, MAX_RESYNC_DELAY.compareTo(firstResync) >= 0
        ? MAX_RESYNC_DELAY : firstResync);
    if (clientUid != null) {
      authenticated.complete(clientUid);
    }
  }

  /**
   * The uid of the remote client at the other end; null while a session taken with
   * {@link Syncro#accept} has not authenticated.
   */
  public String clientUid() {
    return clientUid;
  }

  /**
   * Completes with the client's uid once the peer is known: at once for a session bound to a
   * uid by {@link Syncro#connect}, after a successful {@code auth} for one taken by
   * {@link Syncro#accept}. Fails if the session closes first. A server typically calls
   * {@code session.authenticated().thenRun(session::sync)}.
   */
  public CompletableFuture<String> authenticated() {
    return authenticated.copy(); // completing what the caller holds must not authenticate anyone
  }

  /**
   * Authenticates this node to the peer with a token (the {@code auth} extension), for peers
   * that require it.
   *
   * @return the uid the peer knows this node by; fails with {@link RemoteErrorException} 401
   *     when the peer refuses the token
   */
  public CompletableFuture<String> authenticate(String token) {
    Objects.requireNonNull(token, "token");
    return request(id -> Messages.auth(token, id))
        .thenApply(response -> response.path("result").path("uid").asText(null));
  }

  /** How many requests to the peer await its answer. */
  public int pendingRequests() {
    return pending.size();
  }

  /** False once the session is disconnected. */
  public boolean isOpen() {
    return !closed;
  }

  // ---- what the application calls ----

  /**
   * Asks the peer for every scribe it has for this node since the last one applied, and applies
   * them in order. The peer's own {@code sync} is answered as it arrives; both sides call this.
   *
   * @return completes when the catch-up is applied; fails with {@link ConnectionClosedException}
   *     or a timeout when the connection breaks first (a later sync resumes where this stopped)
   */
  public CompletableFuture<Void> sync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (clientUid == null) {
      done.completeExceptionally(new SyncroConfigurationException(
          "this session's peer has not authenticated yet: sync after authenticated() completes"));
      return done;
    }
    String cursor;
    try {
      cursor = store.client(clientUid).cursor();
    } catch (StorageException e) {
      retryLater(e);
      done.completeExceptionally(e);
      return done;
    }
    // The answer must be handled on the receiving thread, before the add_scribe messages that
    // follow it, so the handler is attached before the request is sent.
    request(id -> Messages.sync(cursor, true, id), (response, failure) -> {
      if (failure != null) {
        retryLater(failure);
        done.completeExceptionally(failure);
      } else {
        // Only now may the cursor move again: this answer starts from where it stopped, so it
        // covers whatever was skipped before it. A push applied between the request and this
        // answer must not move it past a gap the answer has not filled yet.
        cursorFrozen = false;
        beginIncomingCatchUp(response, done);
      }
    });
    return done.copy();
  }

  /** Asks a paging peer for the page after {@code cursor} of the catch-up under way. */
  private void requestNextPage(String cursor) {
    IncomingCatchUp catchUp = incoming;
    request(id -> Messages.sync(cursor, true, id), (response, failure) -> {
      if (incoming != catchUp) {
        return; // the catch-up failed or another replaced it
      }
      if (failure != null) {
        incoming = null;
        retryLater(failure);
        catchUp.done.completeExceptionally(failure);
      } else {
        applyPage(response);
      }
    });
  }

  /** Feeds bytes received on a stream transport: any part of a frame, or many frames. */
  public void receiveData(byte[] bytes) {
    receiveData(bytes, 0, bytes.length);
  }

  /** Feeds {@code length} bytes of {@code bytes} from {@code offset}. */
  public void receiveData(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (decoder == null) {
      throw new SyncroConfigurationException("a message-transport session takes receiveMessage()");
    }
    synchronized (receiveLock) {
      if (closed) {
        return;
      }
      try {
        decoder.feed(bytes, offset, length, payload -> handle(Messages.text(payload)));
      } catch (ProtocolException e) {
        log.warn("closing session of {}: {}", clientUid == null ? "an unauthenticated peer" : clientUid,
            e.getMessage());
        closeBecausePeerFailed();
        return;
      }
      if (!accountBeforeAuth(clientUid == null ? decoder.bufferedBytes() : 0)) {
        log.warn("closing an unauthenticated connection: unauthenticated peers hold more than the"
            + " {} bytes allowed", node.maxUnauthenticatedBytes());
        closeBecausePeerFailed();
      }
    }
  }

  /**
   * Holds {@code bytes} of a partial frame against the node's budget for peers that have not
   * authenticated (0 once authenticated or closed), so that many connections that never
   * authenticate cannot take the node's memory between them.
   *
   * @return false when the budget is spent; this session's share is then given back
   */
  private boolean accountBeforeAuth(int bytes) {
    int previous = heldBeforeAuth.getAndSet(bytes);
    if (bytes == previous) {
      return true;
    }
    if (!node.holdUnauthenticatedBytes(bytes - previous)) {
      heldBeforeAuth.set(previous);
      releaseBeforeAuth();
      return false;
    }
    if (closed) {
      releaseBeforeAuth(); // disconnect() ran meanwhile, and gave back only what it saw
    }
    return true;
  }

  /** Gives this session's share of the budget for unauthenticated peers back. */
  private void releaseBeforeAuth() {
    node.holdUnauthenticatedBytes(-heldBeforeAuth.getAndSet(0));
  }

  /** Feeds one whole message received on a message transport (or already split by the user). */
  public void receiveMessage(String json) {
    Objects.requireNonNull(json, "json");
    synchronized (receiveLock) {
      if (closed) {
        return;
      }
      if (clientUid == null && json.length() > node.maxUnauthenticatedFrameBytes()) {
        log.warn("closing an unauthenticated connection: a message of {} characters before auth",
            json.length());
        closeBecausePeerFailed();
        return;
      }
      handle(json);
    }
  }

  /**
   * Calls a method the peer exposes by class and method name.
   *
   * @return the method's result; fails with {@link RemoteErrorException} (404, 405, 0) when the
   *     peer refuses
   */
  public CompletableFuture<JsonNode> rpc(String klass, String method, Object... args) {
    Objects.requireNonNull(klass, "klass");
    Objects.requireNonNull(method, "method");
    JsonNode argsNode = Json.MAPPER.valueToTree(args);
    return request(id -> Messages.rpc(klass, method, argsNode, id))
        .thenApply(response -> response.path("result"));
  }

  /** Sends a {@code noop}; completes when the peer answers. */
  public CompletableFuture<Void> ping() {
    return request(Messages::noop).thenApply(response -> null);
  }

  /**
   * Ends the session: call it when the transport closes. Unanswered requests fail with
   * {@link ConnectionClosedException}; a partial frame is dropped. Nothing acknowledged is lost:
   * the next sync picks up where this one stopped.
   */
  public void disconnect() {
    // Takes no lock: it may run on any thread, a sending or a receiving one, in any state.
    if (closed) {
      return;
    }
    closed = true;
    outgoing = null;
    node.unregister(this);
    releaseBeforeAuth();
    ConnectionClosedException reason =
        new ConnectionClosedException("session of " + clientUid + " disconnected");
    for (Long id : pending.keySet()) {
      CompletableFuture<JsonNode> request = pending.remove(id);
      if (request != null) {
        request.completeExceptionally(reason);
      }
    }
    IncomingCatchUp catchUp = incoming;
    if (catchUp != null) {
      catchUp.done.completeExceptionally(reason);
    }
    authenticated.completeExceptionally(reason);
    log.debug("session of {} disconnected", clientUid);
  }

  // ---- receiving ----

  private void handle(String json) {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      log.warn("ignored a message from {} that is not JSON: {}", clientUid, e.getOriginalMessage());
      return;
    }
    if (message == null || !message.isObject()) {
      log.warn("ignored a message from {} that is not a JSON object", clientUid);
      return;
    }
    JsonNode type = message.get("type");
    if (type == null || !type.isTextual()) {
      log.warn("ignored a message from {} without a type", clientUid);
      return;
    }
    try {
      dispatch(type.textValue(), message);
    } catch (ConnectionClosedException e) {
      log.debug("dropped a {} message from {}: {}", type.textValue(), clientUid, e.getMessage());
    } catch (RuntimeException e) {
      // Nothing may escape to the transport's thread; the peer's next sync repairs what this lost.
      log.error("failed to handle a {} message from {}", type.textValue(), clientUid, e);
    }
  }

  private void dispatch(String type, JsonNode message) {
    if (clientUid == null) {
      dispatchUnauthenticated(type, message);
      return;
    }
    if (type.equals("response")) {
      onResponse(message);
      return;
    }
    if (type.equals("error")) {
      onError(message);
      return;
    }
    Long id = requestId(message);
    switch (type) {
      case "sync":
        if (id != null) {
          onSync(id, message.get("from"), message.path("page").asBoolean(false));
        }
        return;
      case "add_scribe":
        if (id != null) {
          onAddScribe(id, message.get("scribe"));
        }
        return;
      case "rpc":
        if (id != null) {
          onRpc(id, message);
        }
        return;
      case "noop":
        if (id != null) {
          send(Messages.response(id, BooleanNode.TRUE));
        }
        return;
      case "auth":
        if (id != null) {
          sendError(ErrorCode.OTHER, id, "already authenticated");
        }
        return;
      default:
        log.warn("ignored a message of unknown type {} from {}", type, clientUid);
    }
  }

  /**
   * Before an accepted session authenticates, only {@code auth} is answered: anything else that
   * asks for an answer gets 401, and too many bad tokens close the session.
   */
  private void dispatchUnauthenticated(String type, JsonNode message) {
    Long id = type.equals("response") || type.equals("error") ? null : requestId(message);
    if (id == null) {
      return;
    }
    if (!type.equals("auth")) {
      sendError(ErrorCode.UNAUTHENTICATED, id, "authenticate first");
      return;
    }
    JsonNode token = message.get("token");
    Optional<String> uid = token != null && token.isTextual()
        ? node.authenticate(token.textValue())
        : Optional.empty();
    if (uid.isEmpty() || uid.get().isEmpty()) {
      authFailures++;
      log.warn("authentication failed ({} of {})", authFailures, node.maxAuthFailures());
      sendError(ErrorCode.UNAUTHENTICATED, id, "authentication failed");
      if (authFailures >= node.maxAuthFailures()) {
        closeBecausePeerFailed();
      }
      return;
    }
    clientUid = uid.get();
    if (decoder != null) {
      decoder.setMaxFrameBytes(node.maxFrameBytes()); // from the next frame on
    }
    node.registerAuthenticated(this);
    send(Messages.response(id, Json.NODES.objectNode().put("uid", clientUid)));
    authenticated.complete(clientUid);
    log.debug("session authenticated as {}", clientUid);
  }

  /** The id of a request; null (after logging) when it has none, since it cannot be answered. */
  private Long requestId(JsonNode message) {
    JsonNode id = message.get("id");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
      log.warn("ignored a {} request from {} without a numeric id",
          message.get("type").textValue(), clientUid);
      return null;
    }
    return id.longValue();
  }

  private void onResponse(JsonNode message) {
    JsonNode id = message.get("id");
    CompletableFuture<JsonNode> request =
        id != null && id.canConvertToLong() ? pending.remove(id.longValue()) : null;
    if (request == null) {
      log.warn("ignored a response from {} to unknown request {}", clientUid, id);
      return;
    }
    request.complete(message);
  }

  private void onError(JsonNode message) {
    int code = message.path("code").asInt(ErrorCode.OTHER.wireCode());
    JsonNode text = message.get("message");
    RemoteErrorException error =
        new RemoteErrorException(code, text != null && text.isTextual() ? text.textValue() : null);
    JsonNode id = message.get("id");
    CompletableFuture<JsonNode> request;
    if (id != null && id.canConvertToLong()) {
      request = pending.remove(id.longValue());
    } else {
      // The original sends errors without an id; a peer answers in order, so it is the oldest.
      Map.Entry<Long, CompletableFuture<JsonNode>> oldest = pending.pollFirstEntry();
      request = oldest == null ? null : oldest.getValue();
    }
    if (request == null) {
      log.warn("ignored error {} from {} that answers no request", code, clientUid);
      return;
    }
    request.completeExceptionally(error);
  }

  private void onSync(long id, JsonNode from, boolean paged) {
    String cursor;
    if (from == null || from.isNull()) {
      cursor = null;
    } else if (from.isTextual() || from.isNumber()) {
      cursor = from.asText();
    } else {
      sendError(ErrorCode.OTHER, id, "sync from must be a scribe id or null");
      return;
    }
    try {
      String after = cursor == null || cursor.isEmpty() ? null : cursor;
      if (paged) {
        answerWithPage(id, after);
      } else {
        beginOutgoingCatchUp(id, after);
      }
    } catch (StorageException e) {
      log.warn("cannot answer the sync of {}: {}", clientUid, e.getMessage());
      sendError(ErrorCode.OTHER, id, "this node's store failed; sync again later");
    }
  }

  /**
   * A scribe the peer pushes. It is never part of a catch-up this node asked for: those come as
   * pages in sync responses (and an original peer sends its whole answer in one), so it neither
   * counts towards one nor ends one.
   */
  private void onAddScribe(long id, JsonNode scribe) {
    if (!rateLimit.tryTake()) {
      freezeCursor();
      sendError(ErrorCode.OTHER, id, "too many scribes; sync again later");
      return;
    }
    if (scribe == null || !scribe.isObject()) {
      sendError(ErrorCode.OTHER, id, "add_scribe needs a scribe object");
      return;
    }
    Applied applied = apply(scribe);
    switch (applied) {
      case APPLIED:
        send(Messages.response(id, BooleanNode.TRUE));
        break;
      case NOT_SYNCED:
        sendError(ErrorCode.FORBIDDEN, id, null);
        break;
      case REFUSED:
        sendError(ErrorCode.FORBIDDEN, id, "not allowed");
        break;
      case INVALID:
        sendError(ErrorCode.OTHER, id, "scribe refused: it does not fit its class");
        break;
      case FAILED:
        freezeCursor();
        sendError(ErrorCode.OTHER, id, "scribe not applied; sync again later");
        break;
      default:
        throw new AssertionError(applied);
    }
  }

  private void onRpc(long id, JsonNode message) {
    JsonNode klass = message.get("klass");
    JsonNode method = message.get("method");
    JsonNode args = message.get("args");
    if (klass == null || !klass.isTextual() || method == null || !method.isTextual()
        || (args != null && !args.isArray())) {
      sendError(ErrorCode.OTHER, id, "rpc needs klass, method and an args array");
      return;
    }
    Map<String, RpcHandler> methods = node.rpcMethods(klass.textValue());
    if (methods == null) {
      sendError(ErrorCode.NO_SUCH_CLASS, id, null);
      return;
    }
    RpcHandler handler = methods.get(method.textValue());
    if (handler == null) {
      sendError(ErrorCode.NO_SUCH_METHOD, id, null);
      return;
    }
    String answer;
    try {
      Object result = handler.call(clientUid, args == null ? Json.NODES.arrayNode() : args);
      answer = Messages.response(id, Json.MAPPER.valueToTree(result));
    } catch (RuntimeException e) {
      log.warn("rpc {}.{} from {} failed", klass.textValue(), method.textValue(), clientUid, e);
      sendError(ErrorCode.OTHER, id, "rpc failed");
      return;
    }
    if (answer.length() > Messages.MAX_FRAME_BYTES) {
      sendError(ErrorCode.OTHER, id, "rpc result does not fit in a frame");
      return;
    }
    send(answer);
  }

  // ---- applying the peer's scribes ----

  private enum Applied {
    APPLIED,
    /** Of a class this node does not sync: skipped, as the protocol says. */
    NOT_SYNCED,
    /** Not allowed for this client: skipped, answered with 403. */
    REFUSED,
    /** Not a scribe, or not one its class can take: skipped. */
    INVALID,
    /** This node failed (its store, its own code): not applied, the cursor stays to retry. */
    FAILED
  }

  /**
   * Replays one scribe from the peer and, once it is applied, moves the peer's cursor past it. A
   * scribe skipped or refused changes nothing stored, the cursor included: the next one applied
   * moves the cursor past both. The scribe's origin is this session's client, whatever the
   * message says.
   */
  private Applied apply(JsonNode json) {
    Scribe scribe;
    try {
      scribe = Scribe.fromTree(json).toBuilder().origin(clientUid).build();
    } catch (InvalidScribeException e) {
      log.warn("skipped a scribe from {}: {}", clientUid, e.getMessage());
      return Applied.INVALID;
    }
    SyncedRepository<?, ?> repository = node.repositoryForKlass(scribe.klass());
    if (repository == null) {
      log.debug("skipped a scribe of {} from {}: not a synced class", scribe.klass(), clientUid);
      return Applied.NOT_SYNCED;
    }
    try {
      repository.replay(scribe);
    } catch (UnauthorizedScribeException e) {
      log.warn("refused scribe {} from {}: {}", scribe.id(), clientUid, e.getMessage());
      return Applied.REFUSED;
    } catch (InvalidScribeException | ScribeTooLargeException e) {
      log.warn("skipped scribe {} from {}: {}", scribe.id(), clientUid, e.getMessage());
      return Applied.INVALID;
    } catch (RuntimeException e) {
      log.error("could not apply scribe {} from {}", scribe.id(), clientUid, e);
      return Applied.FAILED;
    }
    advanceCursor(json.path("id"));
    return Applied.APPLIED;
  }

  private void advanceCursor(JsonNode id) {
    if (!cursorFrozen && (id.isTextual() || id.isNumber())) {
      node.advanceCursor(clientUid, id.asText());
    }
  }

  /**
   * A scribe of the peer's could not be applied for a reason that may pass (this node's store
   * failed, the peer sent too fast): the cursor must not move past it, or it would never be
   * asked for again. Later scribes are still applied, without moving the cursor, and a sync is
   * scheduled to fetch everything from where the cursor stopped. A catch-up that failed is
   * retried the same way ({@link #retryLater}).
   */
  private void freezeCursor() {
    cursorFrozen = true;
    if (resyncScheduled.compareAndSet(false, true)) {
      long delay = resyncBackoff.nextDelayMillis();
      node.schedule(this::resync, delay);
    }
  }

  /**
   * A catch-up failed while the connection stays open (the peer answered with an error, its
   * store or this node's failed, an answer timed out): until it completes the peer does not push
   * (it goes live only at the end of a catch-up), so it must be tried again, with backoff, or
   * the session would hear nothing more. A closed connection is left to the next one's sync.
   */
  private void retryLater(Throwable failure) {
    if (!closed && !(failure instanceof ConnectionClosedException)) {
      log.warn("catch-up from {} failed, trying again later: {}", clientUid, failure.toString());
      freezeCursor();
    }
  }

  private void resync() {
    resyncScheduled.set(false);
    if (closed) {
      return;
    }
    try {
      sync().whenComplete((caughtUp, failure) -> {
        if (failure == null) {
          resyncBackoff.reset();
        } else if (!closed) {
          freezeCursor();
        }
      });
    } catch (RuntimeException e) {
      log.warn("could not resync with {}: {}", clientUid, e.getMessage());
      freezeCursor();
    }
  }

  private void beginIncomingCatchUp(JsonNode response, CompletableFuture<Void> done) {
    JsonNode result = response.get("result");
    if (result == null || !result.isArray()) {
      done.completeExceptionally(
          new ProtocolException("the sync response of " + clientUid + " has no result array"));
      return;
    }
    IncomingCatchUp replaced = incoming;
    if (replaced != null) {
      // Two syncs crossed (the application's and a resync): the newer one, from an older or
      // equal cursor, covers the other, which ends when it does.
      done.whenComplete((caughtUp, failure) -> {
        if (failure == null) {
          replaced.done.complete(null);
        } else {
          replaced.done.completeExceptionally(failure);
        }
      });
    }
    incoming = new IncomingCatchUp(done);
    applyPage(response);
  }

  /**
   * Applies one page of a catch-up, whole: every scribe in it is applied (or skipped for good)
   * before anything else, or, when one cannot be applied for now, the cursor stays before it and
   * the catch-up fails (a resync picks it up). A paging peer names the cursor of the next page
   * ({@code "next"}) until the last; the catch-up ends with the page that has none, never at a
   * count announced earlier, since the peer's backlog grows while it is sent.
   */
  private void applyPage(JsonNode response) {
    IncomingCatchUp catchUp = incoming;
    JsonNode result = response.path("result");
    catchUp.pageArrived(result.size(), response.get("total"));
    for (JsonNode scribe : result) {
      if (apply(scribe) == Applied.FAILED) {
        freezeCursor();
        failIncoming(new SyncroException("a scribe from " + clientUid + " could not be applied"));
        return;
      }
      catchUp.advance();
    }
    JsonNode next = response.get("next");
    if (next != null && next.isTextual() && result.size() > 0) {
      requestNextPage(next.textValue());
    } else {
      catchUp.finish();
    }
  }

  private void failIncoming(SyncroException reason) {
    incoming.done.completeExceptionally(reason);
    incoming = null;
  }

  /** The catch-up this node receives from the peer, page by page, with its progress. */
  private final class IncomingCatchUp {
    final CompletableFuture<Void> done;
    long applied;
    /** The scribes applied plus those the peer said remain, as of its latest page. */
    long total;

    IncomingCatchUp(CompletableFuture<Void> done) {
      this.done = done;
    }

    /**
     * A page arrived; the peer counts what remains from its start ({@code "total"}), a count
     * that grows when the peer records more meanwhile. An original peer sends none: its one
     * answer is everything.
     */
    void pageArrived(int scribes, JsonNode remaining) {
      long left = remaining != null && remaining.canConvertToLong() ? remaining.longValue() : 0;
      total = applied + Math.max(left, scribes);
    }

    void advance() {
      applied++;
      node.progressListener().progress(Session.this, applied, Math.max(total, applied));
    }

    void finish() {
      if (applied == 0 || applied != total) {
        // Nothing to catch up, or the last page had fewer than announced (a peer may count what
        // it then leaves out): say once that it is over.
        node.progressListener().progress(Session.this, applied, applied);
      }
      incoming = null;
      node.markSynced(clientUid);
      done.complete(null);
    }
  }

  // ---- answering the peer's sync ----

  /**
   * Answers a sync: the response carries what fits in one frame, the rest follows as add_scribe
   * requests, a window of them at a time, each sent when an earlier one is answered. Live pushes
   * start only when the catch-up has reached the newest scribe, so the peer never receives a
   * scribe before an older one (which would move its cursor past scribes it never got).
   */
  private void beginOutgoingCatchUp(long requestId, String cursor) {
    synchronized (outgoingLock) {
      synchronized (sendLock) {
        live = false;
      }
      long total = store.countSince(clientUid, cursor);
      List<Scribe> page = store.since(clientUid, cursor, node.syncPageSize());
      List<String> fitted = fit(page);
      send(Messages.syncResponse(requestId, fitted, total, null));
      String fetched = page.isEmpty() ? cursor : page.get(page.size() - 1).id();
      Deque<Scribe> rest = new ArrayDeque<>(page.subList(fitted.size(), page.size()));
      outgoing = new OutgoingCatchUp(++outgoingGeneration, rest, fetched);
      log.debug("answering sync of {} from {}: {} scribes", clientUid, cursor, total);
      pumpOutgoing();
    }
  }

  /**
   * Answers a Java peer's paged sync ({@code "page":true}): one frame's worth of scribes, and the
   * cursor of the next page while more remain; the peer asks for each page in turn, so nothing
   * waits on an answer per scribe. The session goes live with the last page.
   *
   * <p>The page is read from the store with no lock held that the record path needs, so a slow
   * store read never holds up the node's saves. Going live must not let a scribe fall between
   * the page and the pushes: a push that started after the read began may have been dropped
   * (the session was not live yet), so then the page is read again. After a few such tries it is
   * read while pushes wait, so the catch-up always ends.
   */
  private void answerWithPage(long requestId, String cursor) {
    boolean mustDrain = false;
    synchronized (outgoingLock) {
      outgoing = null; // a paging peer needs no stream
      boolean answered = false;
      for (int attempt = 0; attempt < OPTIMISTIC_PAGE_READS && !answered; attempt++) {
        long pushesBefore = node.pushesStarted();
        Page page = readPage(cursor);
        synchronized (sendLock) {
          if (!page.last || node.pushesStarted() == pushesBefore) {
            mustDrain = sendPage(requestId, cursor, page);
            answered = true;
          }
        }
      }
      if (!answered) {
        synchronized (sendLock) {
          mustDrain = sendPage(requestId, cursor, readPage(cursor));
        }
      }
    }
    if (mustDrain) {
      drain();
    }
  }

  /** How many times a last page is read without holding up pushes before it is read under them. */
  private static final int OPTIMISTIC_PAGE_READS = 3;

  /** One page of a paged catch-up, as read from the store. */
  private record Page(List<String> scribes, boolean last, String next, long total, boolean following) {}

  private Page readPage(String cursor) {
    // Counted once per catch-up: walking the backlog for every page made a large catch-up
    // quadratic. A page that follows the one handed out last knows what remains from it; what is
    // recorded meanwhile shows up in the pages, not in the count.
    boolean following = cursor != null && cursor.equals(pagedNext);
    long total = following ? pagedRemaining : store.countSince(clientUid, cursor);
    // One more than a page, to know without counting whether this page is the last.
    List<Scribe> read = store.since(clientUid, cursor, node.syncPageSize() + 1);
    List<Scribe> page = read.subList(0, Math.min(read.size(), node.syncPageSize()));
    List<String> fitted = fit(page);
    boolean last = fitted.size() == read.size();
    String next = fitted.isEmpty() ? cursor : page.get(fitted.size() - 1).id();
    total = Math.max(total, fitted.size() + (last ? 0 : 1L));
    return new Page(fitted, last, next, total, following);
  }

  /** Queues a page's answer; goes live with the last. Called with sendLock held. */
  private boolean sendPage(long requestId, String cursor, Page page) {
    boolean mustDrain = enqueue(Messages.syncResponse(
        requestId, page.scribes, page.total, page.last ? null : page.next));
    pagedNext = page.last ? null : page.next;
    pagedRemaining = page.total - page.scribes.size();
    live = page.last;
    if (page.last) {
      lastSentSequence = Syncro.sequenceOf(page.next);
    }
    return mustDrain;
  }

  /** The JSON of the first scribes of a page that fit in one sync response. */
  private static List<String> fit(List<Scribe> page) {
    List<String> fitted = new ArrayList<>();
    int size = Messages.SYNC_RESPONSE_ENVELOPE;
    for (Scribe scribe : page) {
      String json = scribe.toJson();
      if (size + json.length() + 1 > Messages.MAX_FRAME_BYTES) {
        break;
      }
      fitted.add(json);
      size += json.length() + 1;
    }
    return fitted;
  }

  /** Sends the next scribes of the catch-up, up to the window; goes live at the end. */
  private void pumpOutgoing() {
    while (outgoing != null && !closed && outgoing.inFlight < node.catchUpWindow()) {
      OutgoingCatchUp catchUp = outgoing;
      if (catchUp.queue.isEmpty() && !refill(catchUp)) {
        return;
      }
      Scribe next = catchUp.queue.poll();
      catchUp.inFlight++;
      long generation = catchUp.generation;
      request(id -> Messages.addScribe(next.toJson(), id),
          (response, failure) -> onCatchUpAnswer(generation, failure));
    }
  }

  /** Fetches the next page; false when there is none and the session went live. */
  private boolean refill(OutgoingCatchUp catchUp) {
    List<Scribe> page = store.since(clientUid, catchUp.fetched, node.syncPageSize());
    if (page.isEmpty()) {
      synchronized (sendLock) {
        // Looked again while pushes wait: a scribe stored before this look is sent by the
        // catch-up, one stored after it by its push.
        page = store.since(clientUid, catchUp.fetched, node.syncPageSize());
        if (page.isEmpty()) {
          live = true;
          lastSentSequence = Syncro.sequenceOf(catchUp.fetched);
          outgoing = null;
          log.debug("session of {} is live", clientUid);
          return false;
        }
      }
    }
    catchUp.queue.addAll(page);
    catchUp.fetched = page.get(page.size() - 1).id();
    return true;
  }

  private void onCatchUpAnswer(long generation, Throwable failure) {
    if (closed) {
      return; // and the failing thread may hold sendLock, which must not come before outgoingLock
    }
    synchronized (outgoingLock) {
      if (outgoing == null || outgoing.generation != generation) {
        return;
      }
      if (failure != null && !(failure instanceof RemoteErrorException)) {
        // Timed out or disconnected: the peer resumes from its cursor on its next sync.
        log.warn("catch-up of {} stopped: {}", clientUid, failure.toString());
        outgoing = null;
        return;
      }
      outgoing.inFlight--;
      pumpOutgoing();
    }
  }

  /** The scribes this node streams to the peer after answering its sync. */
  private static final class OutgoingCatchUp {
    final long generation;
    final Deque<Scribe> queue;
    /** The id of the last scribe fetched from the store. */
    String fetched;
    int inFlight;

    OutgoingCatchUp(long generation, Deque<Scribe> queue, String fetched) {
      this.generation = generation;
      this.queue = queue;
      this.fetched = fetched;
    }
  }

  // ---- live push, called by the node in the order scribes were stored ----

  void push(Scribe stored, String scribeJson) {
    synchronized (sendLock) {
      if (!live || closed) {
        return;
      }
      long sequence = Syncro.sequenceOf(stored.id());
      if (sequence <= lastSentSequence) {
        return;
      }
      lastSentSequence = sequence;
    }
    // Queued, and sent by the node's sender threads: a slow peer never holds up the recording
    // thread (which holds the node's record lock), only its own queue.
    request(id -> Messages.addScribe(scribeJson, id), (response, failure) -> {
      if (failure != null && !(failure instanceof ConnectionClosedException)) {
        log.debug("push of scribe {} to {} failed: {}", stored.id(), clientUid, failure.toString());
      }
    }, false);
  }

  // ---- sending ----

  private interface MessageOf {
    String with(long requestId);
  }

  private CompletableFuture<JsonNode> request(MessageOf message) {
    return request(message, (response, failure) -> { });
  }

  /**
   * Sends a request; its answer (or failure: a timeout, the connection closing) goes to
   * {@code onAnswer}, attached before anything is sent, so it runs where the answer is received.
   */
  private CompletableFuture<JsonNode> request(
      MessageOf message, BiConsumer<JsonNode, Throwable> onAnswer) {
    return request(message, onAnswer, true);
  }

  /**
   * @param mayBlock whether this thread may send (and so wait for a slow peer); if not, the
   *     node's sender threads send
   */
  private CompletableFuture<JsonNode> request(
      MessageOf message, BiConsumer<JsonNode, Throwable> onAnswer, boolean mayBlock) {
    long id = requestIds.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    answer.whenComplete((response, failure) -> pending.remove(id));
    answer.whenComplete(onAnswer);
    if (closed) {
      answer.completeExceptionally(new ConnectionClosedException("session of " + clientUid + " is closed"));
      return answer;
    }
    if (pending.size() >= node.maxPendingRequests()) {
      // The peer has stopped answering: waiting on more would only grow without end.
      log.warn("{} leaves {} requests unanswered; closing its session", clientUid, pending.size());
      closeBecausePeerFailed();
      answer.completeExceptionally(new ConnectionClosedException(clientUid + " does not answer"));
      return answer;
    }
    pending.put(id, answer);
    answer.orTimeout(node.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      if (enqueue(message.with(id))) {
        if (mayBlock) {
          drain();
        } else {
          node.sender().execute(this::drain);
        }
      }
    } catch (ConnectionClosedException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  private void sendError(ErrorCode code, long id, String message) {
    log.debug("answering request {} of {} with error {} ({})", id, clientUid, code, message);
    send(Messages.error(code.wireCode(), id, message));
  }

  /** Sends from a thread that may wait for a slow peer: one handling this session's input. */
  private void send(String json) {
    if (enqueue(json)) {
      drain();
    }
  }

  /**
   * Queues a message for the peer, in order; true when the caller is now the one to send the
   * queue. A peer whose queue outgrows {@code maxQueuedBytes} reads too slowly: it is
   * disconnected, and catches up on its next sync.
   */
  private boolean enqueue(String json) {
    boolean overflow;
    synchronized (sendLock) {
      if (closed) {
        throw new ConnectionClosedException("session of " + clientUid + " is closed");
      }
      overflow = queuedBytes + json.length() > node.maxQueuedBytes();
      if (!overflow) {
        outbox.add(json);
        queuedBytes += json.length();
        if (draining) {
          return false;
        }
        draining = true;
        return true;
      }
    }
    log.warn("{} reads too slowly ({} bytes waiting); closing its session", clientUid, queuedBytes);
    closeBecausePeerFailed();
    throw new ConnectionClosedException(clientUid + " reads too slowly");
  }

  /** Sends the queue until it is empty; one thread at a time, so messages keep their order. */
  private void drain() {
    while (true) {
      String next;
      synchronized (sendLock) {
        next = outbox.poll();
        if (next == null) {
          draining = false;
          return;
        }
        queuedBytes -= next.length();
      }
      try {
        outbound.send(next);
      } catch (RuntimeException e) {
        log.warn("send to {} failed, closing the session: {}", clientUid, e.toString());
        synchronized (sendLock) {
          outbox.clear();
          queuedBytes = 0;
          draining = false;
        }
        disconnect();
        return;
      }
    }
  }

  private void closeBecausePeerFailed() {
    disconnect();
    try {
      outbound.close();
    } catch (RuntimeException e) {
      log.debug("closing the transport of {} failed", clientUid, e);
    }
  }

  /** How messages leave: framed bytes on a stream, or whole messages. */
  interface Outbound {
    void send(String json);

    void close();

    static Outbound framed(Connection connection) {
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

    static Outbound messages(MessageConnection connection) {
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
  }

  @Override
  public String toString() {
    return "Session[" + clientUid + (closed ? ", closed]" : "]");
  }
}
