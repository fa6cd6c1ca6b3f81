package io.syncro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.syncro.runtime.internal.Backoff;
import io.syncro.runtime.internal.FrameDecoder;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.Messages;
import io.syncro.runtime.internal.RateLimit;
import io.syncro.runtime.internal.session.AuthGate;
import io.syncro.runtime.internal.session.InboundCatchUp;
import io.syncro.runtime.internal.session.InboundMessage;
import io.syncro.runtime.internal.session.Outbound;
import io.syncro.runtime.internal.session.Outbox;
import io.syncro.runtime.internal.session.OutboundCatchUp;
import io.syncro.runtime.internal.session.Requests;
import io.syncro.runtime.internal.session.Resync;
import io.syncro.runtime.internal.session.RpcServer;
import io.syncro.runtime.internal.session.ScribeIntake;
import io.syncro.runtime.internal.session.SessionHost;
import io.syncro.runtime.internal.session.SessionLimits;
import io.syncro.runtime.internal.session.SessionLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to one remote client. The application feeds it what the transport receives
 * ({@link #receiveData} for streams, {@link #receiveMessage} for message transports), asks it to
 * {@link #sync()}, and calls {@link #disconnect()} when the transport closes. Get one from
 * {@link Syncro#connect} or {@link Syncro#connectMessages} (the transport knows the client), or
 * {@link Syncro#accept} (the peer authenticates first).
 *
 * <p>Thread-safe. Received data is handled in the order it is handed over, before
 * {@code receiveData} returns (unless another thread is running this session's work just then,
 * in which case the call waits for it); no exception escapes to that thread: a message that
 * cannot be handled is answered with an {@code error}, or logged and ignored, as the protocol
 * says; a stream that breaks the framing is closed. Calls that send ({@link #sync},
 * {@link #rpc}, {@link #ping}) never wait for the peer.
 *
 * <p>The futures this class returns are the caller's own: completing one changes nothing in the
 * session. They complete on the thread that runs the session's work at that moment: the one
 * that hands the session the peer's answer (the transport's reading thread), a thread of the
 * node when a request times out, or the one that disconnects. Do not block in a callback
 * attached to them: use the {@code ...Async} variants to move work elsewhere.
 *
 * <p>(For whoever changes this file: this is the session's public face and its switchboard. The
 * work is done by parts in {@code internal.session}, each with one job, all run one task at a
 * time on the session's {@code SessionLoop}; {@code docs/architecture.md} maps them. It is about
 * 500 lines because the public methods carry their contracts in Javadoc, and the switchboard
 * decides what each kind of peer (Java or original) is answered; new work belongs in a part.)
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final Duration MAX_RESYNC_DELAY = Duration.ofSeconds(30);

  private final Syncro node;
  /** The node as sessions see it. */
  private final SessionHost host;
  private final SessionLimits limits;
  private final Outbound transport;
  /** Null until an accepted session authenticates; never changes after that. */
  private volatile String clientUid;
  /** Whether the peer authenticated ({@link Syncro#accept}), rather than being bound by uid. */
  private final boolean accepted;
  private final CompletableFuture<String> authenticated = new CompletableFuture<>();
  private volatile boolean closed;

  // The parts. Everything below runs on the loop, one task at a time.
  private final SessionLoop loop;
  private final Outbox outbox;
  private final Requests requests;
  private final AuthGate gate;
  private final ScribeIntake intake;
  /** Whether the peer's sync showed it is an original peer, which an {@code error} kills. */
  private boolean peerSpeaksOriginal;
  /** Whether this side has asked the peer for its scribes, by {@link #sync} or in answer. */
  private boolean syncStarted;
  /**
   * The sync this side started in answer to the peer's, while it runs: an application's
   * {@link #sync} meanwhile joins it rather than crossing it with a second one.
   */
  private CompletableFuture<Void> syncInAnswer;
  private final InboundCatchUp inbound;
  private final OutboundCatchUp outbound;
  private final RpcServer rpcServer;
  private final FrameDecoder decoder;

  Session(Syncro node, SessionHost host, String clientUid, String peerKey, Outbound transport,
      boolean framed) {
    this.node = node;
    this.host = host;
    this.limits = host.limits();
    this.transport = transport;
    this.clientUid = clientUid;
    this.accepted = clientUid == null;
    Supplier<String> peer = this::peerName;
    this.outbox = new Outbox(transport, limits.maxQueuedBytes(), node.sender(), new Outbox.Failure() {
      @Override
      public void overflowed(long queuedBytes) {
        log.warn("{} reads too slowly ({} bytes waiting); closing its session", peerName(), queuedBytes);
        cutOff();
      }

      @Override
      public void sendFailed(RuntimeException cause) {
        disconnect();
      }
    }, peer);
    this.loop = new SessionLoop(node.sender(), outbox::flush);
    this.requests = new Requests(loop, node.scheduler(), limits.requestTimeout().toMillis(),
        limits.maxPendingRequests(), outbox, this::cutOff, peer);
    this.gate = new AuthGate(host, outbox, this::authenticatedAs, this::closeBecausePeerFailed,
        peerKey);
    Duration firstResync = limits.resyncDelay();
    Backoff backoff = new Backoff(firstResync,
        MAX_RESYNC_DELAY.compareTo(firstResync) >= 0 ? MAX_RESYNC_DELAY : firstResync);
    InboundCatchUp[] later = new InboundCatchUp[1];
    Resync resync = new Resync(loop, node.scheduler(), backoff, () -> later[0].start(),
        this::isOpen, peer);
    this.intake = new ScribeIntake(host, outbox, new RateLimit(limits.maxScribesPerSecond()), resync,
        peer, () -> peerSpeaksOriginal);
    this.inbound = new InboundCatchUp(host, requests, intake, resync,
        (applied, total) -> node.progressListener().progress(this, applied, total), peer);
    later[0] = inbound;
    this.outbound = new OutboundCatchUp(host, outbox, requests, peer, () -> peerSpeaksOriginal,
        this::cutOff);
    this.rpcServer = new RpcServer(host, outbox, peer, () -> peerSpeaksOriginal);
    this.decoder = framed
        ? new FrameDecoder(clientUid == null ? limits.maxUnauthenticatedFrameBytes() : limits.maxFrameBytes())
        : null;
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
    return requests.count();
  }

  /** False once the session is disconnected. */
  public boolean isOpen() {
    return !closed;
  }

  // ---- what the application calls ----

  /**
   * Asks the peer for every scribe it has for this node since the last one applied, and applies
   * them in order. One call catches up both ways between Java nodes: the peer's own {@code sync}
   * is answered as it arrives, and a Java node that receives a sync before it has made one syncs
   * in answer. So only one end needs to call this, and either may; calling it on both is
   * harmless. With an original (Ruby) peer, which syncs from its end on connect, call it on this
   * end too. The future covers this end's half: the peer applies this end's scribes at the same
   * time, on its side.
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
    if (closed) {
      done.completeExceptionally(new ConnectionClosedException("session of " + clientUid + " is closed"));
      return done;
    }
    loop.execute(() -> {
      syncStarted = true;
      CompletableFuture<Void> running = syncInAnswer != null && !syncInAnswer.isDone()
          ? syncInAnswer : inbound.start();
      running.whenComplete((caughtUp, failure) -> {
        if (failure == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(failure);
        }
      });
    });
    return done;
  }

  /**
   * Whether this node had everything the peer has for it: asks the peer's
   * {@code last_scribe_id} and compares it with the cursor of the last scribe applied from the
   * peer. A Java peer leaves this node's own scribes out of that id, so the answer is exact. An
   * original peer counts them in, so once this node sent it anything the id runs ahead of the
   * cursor though nothing is missing: then this syncs, and answers whether the sync brought
   * nothing (this node is up to date afterwards either way). Never waits for the peer.
   *
   * @return true when nothing was missing; fails as {@link #rpc} and {@link #sync} do
   */
  public CompletableFuture<Boolean> upToDate() {
    return rpc(Syncro.DEFAULT_RPC_CLASS, Syncro.LAST_SCRIBE_ID_METHOD).thenCompose(last -> {
      String cursor = host.cursorOf(clientUid);
      String peersLast = last.isNull() || "0".equals(last.asText()) ? null : last.asText();
      if (Objects.equals(peersLast, cursor)) {
        return CompletableFuture.completedFuture(true);
      }
      if (!peerSpeaksOriginal) {
        return CompletableFuture.completedFuture(false);
      }
      return sync().thenApply(caughtUp -> Objects.equals(cursor, host.cursorOf(clientUid)));
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
    // Called back from this session's own work (a transport that loops back), the bytes are
    // handled after it, when the caller may have reused its array.
    byte[] data = loop.inLoop() ? Arrays.copyOfRange(bytes, offset, offset + length) : bytes;
    int from = data == bytes ? offset : 0;
    loop.run(() -> feed(data, from, length));
  }

  private void feed(byte[] bytes, int offset, int length) {
    if (closed) {
      return;
    }
    try {
      decoder.feed(bytes, offset, length, payload -> handle(InboundMessage.parse(payload)));
    } catch (ProtocolException e) {
      log.warn("closing session of {}: {}", peerName(), e.getMessage());
      closeBecausePeerFailed();
      return;
    }
    if (!gate.hold(clientUid == null && !closed ? decoder.bufferedBytes() : 0)) {
      log.warn("closing an unauthenticated connection: unauthenticated peers hold more than the"
          + " {} bytes allowed", limits.maxUnauthenticatedBytes());
      closeBecausePeerFailed();
    }
  }

  /** Feeds one whole message received on a message transport (or already split by the user). */
  public void receiveMessage(String json) {
    Objects.requireNonNull(json, "json");
    loop.run(() -> {
      if (closed) {
        return;
      }
      if (clientUid == null && json.length() > limits.maxUnauthenticatedFrameBytes()) {
        log.warn("closing an unauthenticated connection: a message of {} characters before auth",
            json.length());
        closeBecausePeerFailed();
        return;
      }
      handle(InboundMessage.parse(json));
    });
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
    JsonNode argsNode = Json.valueToTree(args);
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
   * the next sync picks up where this one stopped. May be called from any thread; never waits.
   */
  public void disconnect() {
    end(true);
  }

  /** Ends the session; what is queued for the peer is dropped, or written first. */
  private void end(boolean dropQueued) {
    if (closed) {
      return;
    }
    closed = true;
    if (dropQueued) {
      outbox.close();
    } else {
      outbox.closeAfterWriting(this::closeTransport);
    }
    node.unregister(this);
    loop.execute(() -> {
      ConnectionClosedException reason =
          new ConnectionClosedException("session of " + clientUid + " disconnected");
      gate.release();
      requests.failAll(reason);
      inbound.closed(reason);
      outbound.closed();
      authenticated.completeExceptionally(reason);
      log.debug("session of {} disconnected", clientUid);
    });
  }

  // ---- what the node calls ----

  /** Whether the peer was taken with {@link Syncro#accept} and authenticated. */
  boolean accepted() {
    return accepted;
  }

  /** Pushes a scribe the node stored, in id order; never waits for the session. */
  void push(Scribe stored, String scribeJson) {
    loop.execute(() -> {
      if (!closed) {
        outbound.push(stored, scribeJson);
      }
    });
  }

  // ---- the switchboard, on the loop ----

  private void handle(InboundMessage message) {
    try {
      if (clientUid == null) {
        gate.handle(message);
      } else {
        dispatch(message);
      }
    } catch (ConnectionClosedException e) {
      log.debug("dropped a message from {}: {}", clientUid, e.getMessage());
    } catch (RuntimeException e) {
      // Nothing may escape to the transport's thread; the peer's next sync repairs what this lost.
      log.error("failed to handle a message from {}", clientUid, e);
    }
  }

  private void dispatch(InboundMessage message) {
    if (message instanceof InboundMessage.Response response) {
      if (response.id() == null || !requests.answer(response.id(), response.message())) {
        log.warn("ignored a response from {} to unknown request {}", clientUid, response.id());
      }
    } else if (message instanceof InboundMessage.Error error) {
      RemoteErrorException refusal = new RemoteErrorException(error.code(), error.message());
      if (!requests.fail(error.id(), refusal)) {
        log.warn("ignored error {} from {} that answers no request", error.code(), clientUid);
      }
    } else if (message instanceof InboundMessage.Sync sync) {
      // Java peers page their catch-up; a peer that does not is an original one.
      peerSpeaksOriginal = !sync.paged();
      if (peerSpeaksOriginal && decoder != null) {
        decoder.recoverWrappedFrames(limits.maxRecoveredFrameBytes());
      }
      outbound.answer(sync);
      if (!syncStarted && sync.paged()) {
        // One sync catches up both ways, as in the original, where both ends sync on connect:
        // a side that only answered would never send its offline changes, nor push live ones
        // (this side's peer goes live for them only at the end of this side's catch-up). Only
        // to a Java peer: an original one gets its answer as one stream of messages, and is
        // synced by the application (as it syncs from its own end on connect).
        syncStarted = true;
        syncInAnswer = inbound.start();
        syncInAnswer.whenComplete((caughtUp, failure) -> {
          if (failure != null) {
            log.debug("the sync of {} in answer to its own ended: {}", clientUid, failure.toString());
          }
        });
      }
    } else if (message instanceof InboundMessage.AddScribe scribe) {
      intake.pushed(scribe);
    } else if (message instanceof InboundMessage.Rpc call) {
      rpcServer.call(call);
    } else if (message instanceof InboundMessage.Noop noop) {
      outbox.respond(noop.id(), BooleanNode.TRUE);
    } else if (message instanceof InboundMessage.Auth auth) {
      outbox.refuse(ErrorCode.OTHER, auth.id(), "already authenticated");
    } else if (message instanceof InboundMessage.Malformed malformed && peerSpeaksOriginal) {
      // An original peer exits on an error: logged instead, and left unanswered.
      log.warn("ignored a malformed request from {}: {}", clientUid, malformed.problem());
      host.sparedOriginalPeer();
    } else if (message instanceof InboundMessage.Malformed malformed) {
      outbox.refuse(ErrorCode.OTHER, malformed.id(), malformed.problem());
    } else if (message instanceof InboundMessage.Unknown unknown) {
      log.warn("ignored a message of unknown type {} from {}", unknown.type(), clientUid);
    } else if (message instanceof InboundMessage.Ignored ignored) {
      log.warn("ignored a message from {} {}", clientUid, ignored.why());
    }
  }

  private void authenticatedAs(String uid) {
    clientUid = uid;
    if (decoder != null) {
      decoder.setMaxFrameBytes(limits.maxFrameBytes()); // from the next frame on
    }
    node.registerAuthenticated(this);
    authenticated.complete(uid);
  }

  /** Sends a request from the application; the future is the caller's, completed on the loop. */
  private CompletableFuture<JsonNode> request(LongFunction<String> message) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(new ConnectionClosedException("session of " + clientUid + " is closed"));
      return answer;
    }
    loop.execute(() -> requests.send(message, (response, failure) -> {
      if (failure == null) {
        answer.complete(response);
      } else {
        answer.completeExceptionally(failure);
      }
    }));
    return answer;
  }

  /**
   * Ends the session because of the peer (it broke the protocol, failed to authenticate, stopped
   * answering): what is queued, such as the error that says why, is sent, then the transport is
   * closed.
   */
  private void closeBecausePeerFailed() {
    end(false);
  }

  /** Ends the session and closes the transport at once: the peer does not read or answer. */
  private void cutOff() {
    end(true);
    closeTransport();
  }

  private void closeTransport() {
    try {
      transport.close();
    } catch (RuntimeException e) {
      log.debug("closing the transport of {} failed", clientUid, e);
    }
  }

  private String peerName() {
    String uid = clientUid;
    return uid == null ? "an unauthenticated peer" : uid;
  }

  @Override
  public String toString() {
    return "Session[" + clientUid + (closed ? ", closed]" : "]");
  }

  /**
   * The oldest sequence of the node's log this session may still read ({@code Long.MAX_VALUE}:
   * none): a trim of the node's history keeps it.
   */
  long oldestNeeded() {
    return outbound.oldestNeeded();
  }
}
