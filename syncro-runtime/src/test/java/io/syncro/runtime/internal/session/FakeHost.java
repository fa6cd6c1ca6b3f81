package io.syncro.runtime.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.ScribeType;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.store.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A node for a session's parts to talk to: a real memory store, and counts of what was asked. */
final class FakeHost implements SessionHost {
  /** How many refusals were answered to an original peer as successes. */
  int spared;
  final MemoryStore store = new MemoryStore();
  final SessionLimits limits;
  final List<String> applied = new ArrayList<>();
  ApplyOutcome nextOutcome = ApplyOutcome.APPLIED;
  /** Runs as each scribe is applied: for a test to look at what was sent by then. */
  Runnable whileApplying = () -> { };
  int counts;
  long unauthenticatedBytes;
  long budget = 10_000;

  FakeHost(int pageSize) {
    limits = new SessionLimits(Duration.ofSeconds(30), 65_535, 0, 4_096, budget, 3, 4, pageSize,
        1_000, 1 << 20, 5, Duration.ofSeconds(1), true);
  }

  /** Stores a scribe for everyone, as the node records one. */
  Scribe record(String id) {
    return store.append(Scribe.builder()
        .klass("Note")
        .type(ScribeType.CREATE)
        .data(Json.NODES.objectNode().put("id", id))
        .recipients(Recipients.everyone())
        .origin("server")
        .build());
  }

  /** The records a snapshot holds, for class "Note"; null: this host answers with its log. */
  List<Scribe> snapshotRecords;

  @Override
  public List<String> snapshotClasses(String clientUid) {
    return snapshotRecords == null ? List.of() : List.of("Note");
  }

  @Override
  public long lastSequence() {
    return store.lastSequence();
  }

  @Override
  public long recordCount(String klass) {
    return snapshotRecords.size();
  }

  /** Three records a store page, whatever the limit: pages of the store and of the peer differ. */
  @Override
  public SnapshotPage snapshotPage(String clientUid, String klass, String position, int limit) {
    int from = position == null ? 0 : Integer.parseInt(position);
    int to = Math.min(from + 3, snapshotRecords.size());
    return new SnapshotPage(snapshotRecords.subList(from, to),
        to == snapshotRecords.size() ? null : Integer.toString(to));
  }

  @Override
  public SessionLimits limits() {
    return limits;
  }

  @Override
  public void sparedOriginalPeer() {
    spared++;
  }

  /** Peer keys whose attempts the node's throttle refuses, unchecked. */
  final java.util.Set<String> throttledKeys = new java.util.HashSet<>();
  /** The peer keys attempts came with, in order. */
  final List<String> authKeys = new ArrayList<>();

  @Override
  public Authentication authenticate(String token, String peerKey) {
    authKeys.add(peerKey);
    if (throttledKeys.contains(peerKey)) {
      return new Authentication.Throttled(Duration.ofMillis(2_500), "too many failed attempts");
    }
    return token.equals("good") ? new Authentication.Accepted("alice") : new Authentication.Refused();
  }

  @Override
  public boolean holdUnauthenticatedBytes(int delta) {
    if (delta > 0 && unauthenticatedBytes + delta > budget) {
      return false;
    }
    unauthenticatedBytes += delta;
    return true;
  }

  @Override
  public ApplyOutcome apply(JsonNode scribe, String origin, boolean moveCursor) {
    whileApplying.run();
    if (nextOutcome == ApplyOutcome.APPLIED) {
      applied.add(scribe.path("id").asText());
      if (moveCursor) {
        store.saveClient(store.client(origin).withCursor(scribe.path("id").asText()));
      }
    }
    return nextOutcome;
  }

  @Override
  public String cursorOf(String clientUid) {
    return store.client(clientUid).cursor();
  }

  @Override
  public void markSynced(String clientUid) {
    store.saveClient(store.client(clientUid).withSynced(true));
  }

  @Override
  public long countSince(String clientUid, String cursor) {
    counts++;
    return store.countSince(clientUid, cursor);
  }

  @Override
  public List<Scribe> since(String clientUid, String cursor, int limit) {
    return store.since(clientUid, cursor, limit);
  }

  @Override
  public RpcLookup rpc(String klass, String method) {
    return new RpcLookup.NoSuchClass();
  }
}
