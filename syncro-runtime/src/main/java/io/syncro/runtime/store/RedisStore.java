package io.syncro.runtime.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.Recipients;
import io.syncro.runtime.Scribe;
import io.syncro.runtime.StorageException;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.OptionalDependency;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link ScribeStore} in Redis, for servers, and for a fleet of server nodes sharing one Redis:
 * a scribe recorded on one node reaches the sessions of every node.
 *
 * <p>Keys, under a prefix ({@code syncro} by default):
 * <ul>
 *   <li>{@code P:seq}: the counter that mints ids ({@code INCR});
 *   <li>{@code P:scribes}: a hash of every scribe by id;
 *   <li>{@code P:to-all} and {@code P:to:UID}: sorted sets of the ids of scribes to everyone and
 *       to each client, scored by id, as the original laid them out but with ordered ids;
 *   <li>{@code P:echo:UID}: the ids in those sets that came from that client, so counting what
 *       a client is owed stays O(log n);
 *   <li>{@code P:clients}: a hash of client states; {@code P:objects:KLASS}: a hash of objects;
 *   <li>{@code P:removed:KLASS}: the tombstones of a class, the sequence of the scribe that
 *       destroyed each record by its id;
 *   <li>{@code P:first}: the sequence of the oldest scribe kept, once a {@link #trim} dropped any;
 *       {@code P:trimmed}: when a trim last dropped anything, in epoch milliseconds.
 * </ul>
 * A scribe is appended by one Lua script, which also announces it on {@code P:appended}: no
 * half-written scribe is ever visible. Announcements are best effort (pub/sub); nodes repair a
 * lost one from {@link #lastSequence()}. Needs a single Redis (or a primary), not Redis Cluster.
 *
 * <p>Thread-safe. The store closes the client it opened itself, never one it was given. (One
 * file, over the project's usual size at about 810 lines: the key layout, the scripts (the
 * append, which also writes the history and the cursor and checks the expected history; the
 * trim's), the reads that must come in a given order (a snapshot's pages of objects among them),
 * the trim, which must raise the first sequence before it deletes anything, the measure of what
 * it keeps, and the fleet's subscription share every key name and are read together.)
 */
public final class RedisStore implements ScribeStore {
  private static final Logger log = LoggerFactory.getLogger(RedisStore.class);

  /**
   * Appends a scribe atomically, with the change of its object when there is one: ARGV = record,
   * prefix, origin ('' for none), '1' when to everyone, object change ('' none, 'put', 'del'),
   * object class, object id, object JSON, the record's history JSON ('' none), the uid and JSON
   * of the client state to save with it ('' none), what must still be stored (0 nothing is
   * checked, 1 the history, 2 the history and no object under the id), the history it must
   * still be ('' none), then the recipients' uids. Returns -1, writing nothing, when the store
   * does not hold what it must.
   */
  private static final String APPEND = String.join("\n",
      "local prefix = ARGV[2]",
      "if ARGV[12] ~= '0' then",
      "  local held = redis.call('HGET', prefix .. ':objects:' .. '" + ObjectChange.HISTORY_PREFIX + "' .. ARGV[6], ARGV[7])",
      "  if (held or '') ~= ARGV[13] then return -1 end",
      "  if ARGV[12] == '2' and redis.call('HEXISTS', prefix .. ':objects:' .. ARGV[6], ARGV[7]) == 1 then",
      "    return -1",
      "  end",
      "end",
      "local seq = redis.call('INCR', KEYS[1])",
      "local origin = ARGV[3]",
      "redis.call('HSET', prefix .. ':scribes', seq, ARGV[1])",
      "if ARGV[4] == '1' then",
      "  redis.call('ZADD', prefix .. ':to-all', seq, seq)",
      "  if origin ~= '' then redis.call('ZADD', prefix .. ':echo:' .. origin, seq, seq) end",
      "else",
      "  for i = 14, #ARGV do",
      "    redis.call('ZADD', prefix .. ':to:' .. ARGV[i], seq, seq)",
      "    if ARGV[i] == origin then redis.call('ZADD', prefix .. ':echo:' .. origin, seq, seq) end",
      "  end",
      "end",
      "if ARGV[5] == 'put' then",
      "  redis.call('HSET', prefix .. ':objects:' .. ARGV[6], ARGV[7], ARGV[8])",
      "  redis.call('HDEL', prefix .. ':removed:' .. ARGV[6], ARGV[7])",
      "elseif ARGV[5] == 'del' then",
      "  if redis.call('HDEL', prefix .. ':objects:' .. ARGV[6], ARGV[7]) == 1 then",
      "    redis.call('HSET', prefix .. ':removed:' .. ARGV[6], ARGV[7], seq)",
      "  end",
      "end",
      "if ARGV[9] ~= '' then",
      "  redis.call('HSET', prefix .. ':objects:' .. '" + ObjectChange.HISTORY_PREFIX + "' .. ARGV[6], ARGV[7], ARGV[9])",
      "end",
      "if ARGV[10] ~= '' then redis.call('HSET', prefix .. ':clients', ARGV[10], ARGV[11]) end",
      "redis.call('PUBLISH', prefix .. ':appended', seq)",
      "return seq");

  /**
   * Drops tombstones a trim found, each only if it is still the tombstone found and its record
   * was not made again: KEYS = the class's tombstones, its objects, its histories; ARGV = pairs
   * of id and the sequence found. Returns how many it dropped.
   */
  private static final String DROP_TOMBSTONES = String.join("\n",
      "local dropped = 0",
      "for i = 1, #ARGV, 2 do",
      "  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1]",
      "      and redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then",
      "    redis.call('HDEL', KEYS[1], ARGV[i])",
      "    redis.call('HDEL', KEYS[3], ARGV[i])",
      "    dropped = dropped + 1",
      "  end",
      "end",
      "return dropped");

  /** Raises {@code P:first} to ARGV[1], never lowers it; returns what it was (1 when unset). */
  private static final String RAISE_FIRST = String.join("\n",
      "local first = tonumber(redis.call('GET', KEYS[1]) or '1')",
      "if tonumber(ARGV[1]) > first then redis.call('SET', KEYS[1], ARGV[1]) end",
      "return first");

  private static final int BATCH = 500;

  private final UnifiedJedis redis;
  private final boolean ownsClient;
  private final String prefix;
  private final boolean notifications;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private Thread subscriber;
  private volatile JedisPubSub subscription;

  private RedisStore(Builder builder) {
    this.ownsClient = builder.client == null;
    this.redis = ownsClient ? JedisLinks.open(builder.url) : builder.client;
    this.prefix = builder.prefix;
    this.notifications = builder.notifications;
  }

  /**
   * A builder: Redis at {@code redis://127.0.0.1:6379}, prefix {@code syncro}.
   *
   * @throws io.syncro.runtime.SyncroConfigurationException when Jedis
   *     ({@code redis.clients:jedis}), which the application adds itself, is not on the class path
   */
  public static Builder builder() {
    OptionalDependency.require("redis.clients.jedis.UnifiedJedis", "redis.clients:jedis", "RedisStore");
    return new Builder();
  }

  // ---- keys ----

  private String key(String name) {
    return prefix + ":" + name;
  }

  private String toClient(String uid) {
    return prefix + ":to:" + uid;
  }

  private String echo(String uid) {
    return prefix + ":echo:" + uid;
  }

  private String objectsOf(String klass) {
    return prefix + ":objects:" + klass;
  }

  /**
   * Runs a script by its digest, so that its text crosses the network only the first time a
   * Redis sees it (and again after a restart or a SCRIPT FLUSH, which the digest call reports).
   */
  private Object script(String what, String script, List<String> keys, List<String> args) {
    return call(what,
        () -> JedisLinks.evalByDigest(redis, Scripts.DIGESTS.get(script), script, keys, args));
  }

  /** The SHA-1 digests Redis knows the store's scripts by. */
  private static final class Scripts {
    static final Map<String, String> DIGESTS = Map.of(APPEND, sha1(APPEND),
        DROP_TOMBSTONES, sha1(DROP_TOMBSTONES), RAISE_FIRST, sha1(RAISE_FIRST));

    private static String sha1(String script) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
            .digest(script.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-1", e);
      }
    }
  }

  /** Runs a Redis call, turning Jedis' failures into the store's. */
  private <T> T call(String what, Supplier<T> command) {
    try {
      return command.get();
    } catch (RuntimeException e) {
      if (JedisLinks.isRedisFailure(e)) {
        throw new StorageException("Redis failed to " + what + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  // ---- scribes ----

  @Override
  public Scribe append(Scribe scribe) {
    return append(scribe, List.of("", "", "", "", "", "", "", "0", ""));
  }

  @Override
  public Scribe append(Scribe scribe, ObjectChange change) {
    requireNonNull(change, "change");
    return append(scribe, List.of(change.json() == null ? "del" : "put", change.klass(),
        change.id(), change.json() == null ? "" : change.json(),
        change.history() == null ? "" : change.history(),
        change.client() == null ? "" : change.client().uid(),
        change.client() == null ? "" : clientJson(change.client()),
        change.expected() == null ? "0" : change.expected().nothingStored() ? "2" : "1",
        change.expected() == null || change.expected().history() == null
            ? "" : change.expected().history()), change);
  }

  private Scribe append(Scribe scribe, List<String> objectArgs) {
    return append(scribe, objectArgs, null);
  }

  private Scribe append(Scribe scribe, List<String> objectArgs, ObjectChange change) {
    requireNonNull(scribe, "scribe");
    List<String> args = new ArrayList<>();
    args.add(StoredScribes.encode(scribe).put("at", System.currentTimeMillis()).toString());
    args.add(prefix);
    args.add(scribe.origin().orElse(""));
    Recipients audience = scribe.audience(); // indexed for its former recipients too
    args.add(audience.isEveryone() ? "1" : "0");
    args.addAll(objectArgs);
    if (!audience.isEveryone()) {
      args.addAll(audience.uids());
    }
    Object sequence = script("append a scribe", APPEND, List.of(key("seq")), args);
    if ((Long) sequence < 0) {
      throw change.concurrentChange();
    }
    return scribe.withId(Long.toString((Long) sequence));
  }

  @Override
  public List<Scribe> since(String clientUid, String cursor, int limit) {
    requireNonNull(clientUid, "clientUid");
    return call("read scribes", () -> {
      List<Scribe> result = new ArrayList<>(Math.min(limit, 1024));
      long position = position(cursor);
      while (result.size() < limit) {
        int batch = Math.min(Math.max(limit - result.size(), 16), BATCH);
        List<Long> toAll = sequences(key("to-all"), position, batch);
        List<Long> toOne = sequences(toClient(clientUid), position, batch);
        if (toAll.isEmpty() && toOne.isEmpty()) {
          break;
        }
        // Only up to the shorter full batch is both lists' merge known to be complete.
        long horizon = Math.min(
            toAll.size() == batch ? toAll.get(batch - 1) : Long.MAX_VALUE,
            toOne.size() == batch ? toOne.get(batch - 1) : Long.MAX_VALUE);
        List<Long> merged = merge(toAll, toOne, horizon);
        List<Scribe> scribes = load(merged);
        for (Scribe scribe : scribes) {
          if (result.size() == limit) {
            break;
          }
          if (!clientUid.equals(scribe.origin().orElse(null))) {
            result.add(scribe);
          }
        }
        position = merged.get(merged.size() - 1);
      }
      return result;
    });
  }

  private List<Long> sequences(String key, long after, int count) {
    List<String> members = redis.zrangeByScore(key, "(" + after, "+inf", 0, count);
    List<Long> sequences = new ArrayList<>(members.size());
    members.forEach(member -> sequences.add(Long.parseLong(member)));
    return sequences;
  }

  private static List<Long> merge(List<Long> a, List<Long> b, long horizon) {
    List<Long> merged = new ArrayList<>(a.size() + b.size());
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      long next = (j >= b.size() || (i < a.size() && a.get(i) < b.get(j))) ? a.get(i++) : b.get(j++);
      if (next > horizon) {
        break;
      }
      merged.add(next);
    }
    return merged;
  }

  /** The scribes with these sequences, in that order. */
  private List<Scribe> load(List<Long> sequences) {
    if (sequences.isEmpty()) {
      return List.of();
    }
    String[] fields = sequences.stream().map(String::valueOf).toArray(String[]::new);
    List<String> records = redis.hmget(key("scribes"), fields);
    List<Scribe> scribes = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      String record = records.get(i);
      if (record == null) {
        throw new StorageException("scribe " + fields[i] + " is indexed but missing from "
            + key("scribes") + "; was the prefix partly deleted?");
      }
      try {
        scribes.add(StoredScribes.decode(record, fields[i]));
      } catch (IOException e) {
        throw new StorageException("scribe " + fields[i] + " under " + prefix + " is not valid JSON", e);
      }
    }
    return scribes;
  }

  @Override
  public long countSince(String clientUid, String cursor) {
    requireNonNull(clientUid, "clientUid");
    return call("count scribes", () -> {
      String after = "(" + position(cursor);
      return redis.zcount(key("to-all"), after, "+inf")
          + redis.zcount(toClient(clientUid), after, "+inf")
          - redis.zcount(echo(clientUid), after, "+inf");
    });
  }

  @Override
  public Optional<String> lastIdFor(String clientUid) {
    requireNonNull(clientUid, "clientUid");
    return call("find the last scribe", () -> {
      String below = "+inf";
      while (true) {
        List<String> toAll = redis.zrevrangeByScore(key("to-all"), below, "-inf", 0, BATCH);
        List<String> toOne = redis.zrevrangeByScore(toClient(clientUid), below, "-inf", 0, BATCH);
        List<Long> candidates = new ArrayList<>();
        toAll.forEach(member -> candidates.add(Long.parseLong(member)));
        toOne.forEach(member -> candidates.add(Long.parseLong(member)));
        if (candidates.isEmpty()) {
          return Optional.<String>empty();
        }
        candidates.sort((x, y) -> Long.compare(y, x));
        for (long candidate : candidates) {
          if (redis.zscore(echo(clientUid), Long.toString(candidate)) == null) {
            return Optional.of(Long.toString(candidate));
          }
        }
        below = "(" + candidates.get(candidates.size() - 1);
      }
    });
  }

  @Override
  public long lastSequence() {
    String sequence = call("read the sequence", () -> redis.get(key("seq")));
    return sequence == null ? 0 : Long.parseLong(sequence);
  }

  @Override
  public List<Scribe> range(long afterSequence, long throughSequence) {
    long through = Math.min(throughSequence, lastSequence());
    List<Scribe> result = new ArrayList<>();
    for (long from = Math.max(afterSequence, firstSequence() - 1) + 1; from <= through;
        from += BATCH) {
      List<Long> batch = new ArrayList<>();
      for (long sequence = from; sequence <= Math.min(through, from + BATCH - 1); sequence++) {
        batch.add(sequence);
      }
      result.addAll(call("read scribes", () -> load(batch)));
    }
    return result;
  }

  /** The sequence a cursor stands for; 0 for null and for ids this store never minted. */
  private long position(String cursor) {
    if (cursor == null) {
      return 0;
    }
    long sequence;
    try {
      sequence = Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      return 0;
    }
    return sequence >= 1 && redis.hexists(key("scribes"), cursor) ? sequence : 0;
  }

  // ---- clients and objects ----

  @Override
  public ClientState client(String uid) {
    requireNonNull(uid, "uid");
    String json = call("read a client", () -> redis.hget(key("clients"), uid));
    return json == null ? ClientState.unknown(uid) : clientState(json);
  }

  @Override
  public void saveClient(ClientState state) {
    requireNonNull(state, "state");
    String json = clientJson(state);
    call("save a client", () -> redis.hset(key("clients"), state.uid(), json));
  }

  private static String clientJson(ClientState state) {
    return Json.NODES.objectNode()
        .put("uid", state.uid())
        .put("cursor", state.cursor())
        .put("synced", state.synced())
        .toString();
  }

  @Override
  public List<ClientState> clients() {
    Map<String, String> all = call("read clients", () -> redis.hgetAll(key("clients")));
    List<ClientState> states = new ArrayList<>(all.size());
    all.values().forEach(json -> states.add(clientState(json)));
    return states;
  }

  private ClientState clientState(String json) {
    JsonNode node = parse(json);
    JsonNode cursor = node.get("cursor");
    return new ClientState(node.get("uid").textValue(),
        cursor == null || cursor.isNull() ? null : cursor.textValue(),
        node.path("synced").booleanValue());
  }

  @Override
  public void putObject(String klass, String id, String json) {
    requireNonNull(json, "json");
    call("save an object", () -> redis.hset(objectsOf(requireNonNull(klass, "klass")), requireNonNull(id, "id"), json));
  }

  @Override
  public Optional<String> object(String klass, String id) {
    return Optional.ofNullable(call("read an object", () -> redis.hget(objectsOf(klass), id)));
  }

  /**
   * Both reads in one pipeline: one round trip, and cheaper for Redis than a script. Another
   * node may write between the two reads, hence the history first (see the interface).
   */
  @Override
  public StoredRecord objectWithHistory(String klass, String id) {
    return call("read an object", () -> {
      try (AbstractPipeline pipeline = redis.pipelined()) {
        Response<String> history = pipeline.hget(objectsOf(ObjectChange.HISTORY_PREFIX + klass), id);
        Response<String> json = pipeline.hget(objectsOf(klass), id);
        pipeline.sync();
        return new StoredRecord(json.get(), history.get());
      }
    });
  }

  @Override
  public void removeObject(String klass, String id) {
    call("remove an object", () -> {
      if (redis.hdel(objectsOf(klass), id) == 1 && !klass.startsWith("~")) {
        redis.hset(key("removed:" + klass), id, Long.toString(lastSequence()));
      }
      return null;
    });
  }

  // ---- trimming ----

  @Override
  public long firstSequence() {
    String first = call("read the first sequence kept", () -> redis.get(key("first")));
    return first == null ? 1 : Long.parseLong(first);
  }

  /**
   * Raises {@code P:first} first, so that every node treats the cursors before it as too old
   * before anything goes; then takes the dropped sequences out of the sorted sets, then their
   * scribes, in batches, and then the tombstones. Several nodes of a fleet may trim at once:
   * each step is safe to repeat. A session on another node of a fleet may still be reading
   * what this one drops (only this node's sessions are known here, through {@code keepFrom}):
   * its read then fails, and its peer's next sync gets a snapshot.
   */
  @Override
  public TrimResult trim(Retention retention, long keepFrom, Instant now) {
    requireNonNull(retention, "retention");
    requireNonNull(now, "now");
    return call("trim the history", () -> {
      long first = firstSequence();
      long floor = retention.firstToKeep(first, lastSequence(), keepFrom, now, this::appendedAt);
      long droppedScribes = 0;
      if (floor > first) {
        long was = (Long) script("trim the history", RAISE_FIRST, List.of(key("first")),
            List.of(Long.toString(floor)));
        ScanParams indexes = new ScanParams().match(prefix + ":*").count(1000);
        String cursor = "0";
        do {
          ScanResult<String> keys = redis.scan(cursor, indexes);
          for (String key : keys.getResult()) {
            if (key.equals(key("to-all")) || key.startsWith(toClient("")) || key.startsWith(echo(""))) {
              redis.zremrangeByScore(key, "-inf", "(" + floor);
            }
          }
          cursor = keys.getCursor();
        } while (!cursor.equals("0"));
        for (long from = Math.min(was, first); from < floor; from += BATCH) {
          List<String> fields = new ArrayList<>();
          for (long sequence = from; sequence < Math.min(floor, from + BATCH); sequence++) {
            fields.add(Long.toString(sequence));
          }
          droppedScribes += redis.hdel(key("scribes"), fields.toArray(String[]::new));
        }
      }
      // A tombstone goes only with the scribe that destroyed it, so only when the floor moves. (A
      // node of a fleet that dies between the two leaves some to the next trim that moves it.)
      long droppedTombstones = floor > first ? dropTombstones(floor) : 0;
      if (droppedScribes > 0 || droppedTombstones > 0) {
        redis.set(key("trimmed"), Long.toString(now.toEpochMilli()));
      }
      return new TrimResult(Math.max(floor, firstSequence()), droppedScribes, droppedTombstones);
    });
  }

  /** When a scribe was appended; "now" for one stored before appends were timed (kept). */
  private long appendedAt(long sequence) {
    String record = redis.hget(key("scribes"), Long.toString(sequence));
    JsonNode at = record == null ? null : parse(record).get("at");
    return at == null ? System.currentTimeMillis() : at.longValue();
  }

  /** Drops the tombstones of records destroyed by a scribe before {@code floor}. */
  private long dropTombstones(long floor) {
    long dropped = 0;
    String removedPrefix = key("removed:");
    ScanParams tombstoneKeys = new ScanParams().match(removedPrefix + "*").count(1000);
    String cursor = "0";
    do {
      ScanResult<String> keys = redis.scan(cursor, tombstoneKeys);
      for (String key : keys.getResult()) {
        String klass = key.substring(removedPrefix.length());
        String position = "0";
        do {
          ScanResult<Map.Entry<String, String>> page =
              redis.hscan(key, position, new ScanParams().count(BATCH));
          List<String> args = new ArrayList<>();
          for (Map.Entry<String, String> tombstone : page.getResult()) {
            if (Long.parseLong(tombstone.getValue()) < floor) {
              args.add(tombstone.getKey());
              args.add(tombstone.getValue());
            }
          }
          if (!args.isEmpty()) {
            dropped += (Long) script("drop tombstones", DROP_TOMBSTONES,
                List.of(key, objectsOf(klass), objectsOf(ObjectChange.HISTORY_PREFIX + klass)), args);
          }
          position = page.getCursor();
        } while (!position.equals("0"));
      }
      cursor = keys.getCursor();
    } while (!cursor.equals("0"));
    return dropped;
  }

  /**
   * By {@code HSCAN}: {@code position} is Redis's scan cursor, and a page may hold a few more or
   * fewer than {@code limit} objects, as Redis decides. Their histories follow in a second round
   * trip ({@code HMGET}).
   */
  @Override
  public ObjectPage objectPage(String klass, String position, int limit) {
    return call("read a page of objects", () -> {
      ScanResult<Map.Entry<String, String>> scanned = redis.hscan(objectsOf(klass),
          position == null ? "0" : position, new ScanParams().count(limit));
      List<Map.Entry<String, String>> found = scanned.getResult();
      List<String> histories = found.isEmpty() ? List.of()
          : redis.hmget(objectsOf(ObjectChange.HISTORY_PREFIX + klass),
              found.stream().map(Map.Entry::getKey).toArray(String[]::new));
      List<ObjectPage.Entry> page = new ArrayList<>(found.size());
      for (int i = 0; i < found.size(); i++) {
        page.add(new ObjectPage.Entry(found.get(i).getKey(), found.get(i).getValue(),
            histories.get(i)));
      }
      String next = scanned.getCursor();
      return new ObjectPage(page, next.equals("0") ? null : next);
    });
  }

  @Override
  public long objectCount(String klass) {
    return call("count objects", () -> redis.hlen(objectsOf(klass)));
  }

  /**
   * Counts with {@code HLEN} and, for tombstones, pages through each class's histories
   * ({@code HSCAN}) asking which records exist ({@code HMGET}); the bytes are Redis'
   * {@code MEMORY USAGE} of every key under the prefix.
   */
  @Override
  public StoreUsage usage() {
    return call("measure the store", () -> {
      long records = 0;
      long tombstones = 0;
      long bytes = 0;
      String objectsPrefix = objectsOf("");
      String cursor = "0";
      ScanParams everyKey = new ScanParams().match(prefix + ":*").count(1000);
      do {
        ScanResult<String> keys = redis.scan(cursor, everyKey);
        for (String key : keys.getResult()) {
          Long used = redis.memoryUsage(key);
          bytes += used == null ? 0 : used;
          if (!key.startsWith(objectsPrefix)) {
            continue;
          }
          String klass = key.substring(objectsPrefix.length());
          if (!klass.startsWith("~")) {
            records += redis.hlen(key);
          } else if (klass.startsWith(ObjectChange.HISTORY_PREFIX)) {
            tombstones += missingRecords(key,
                objectsOf(klass.substring(ObjectChange.HISTORY_PREFIX.length())));
          }
        }
        cursor = keys.getCursor();
      } while (!cursor.equals("0"));
      String trimmed = redis.get(key("trimmed"));
      return new StoreUsage(redis.hlen(key("scribes")), records, tombstones, bytes,
          firstSequence(), trimmed == null ? null : Instant.ofEpochMilli(Long.parseLong(trimmed)));
    });
  }

  /** How many ids of the histories hash have no record in the objects hash. */
  private long missingRecords(String histories, String records) {
    long missing = 0;
    String cursor = "0";
    do {
      ScanResult<Map.Entry<String, String>> page =
          redis.hscan(histories, cursor, new ScanParams().count(1000));
      if (!page.getResult().isEmpty()) {
        List<String> found = redis.hmget(records,
            page.getResult().stream().map(Map.Entry::getKey).toArray(String[]::new));
        missing += found.stream().filter(json -> json == null).count();
      }
      cursor = page.getCursor();
    } while (!cursor.equals("0"));
    return missing;
  }

  /** Every object of a class, in no particular order (a Redis hash keeps none). */
  @Override
  public List<String> objects(String klass) {
    return List.copyOf(call("read objects", () -> redis.hgetAll(objectsOf(klass))).values());
  }

  private JsonNode parse(String json) {
    try {
      return Json.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StorageException("a value under " + prefix + " is not valid JSON", e);
    }
  }

  // ---- the fleet ----

  @Override
  public boolean isShared() {
    return true;
  }

  /**
   * Subscribes to the announcements of appends. The subscription runs on its own thread and is
   * renewed when Redis comes back after an outage; announcements missed meanwhile are repaired by
   * the node from {@link #lastSequence()}.
   */
  @Override
  public synchronized void onAppendedElsewhere(LongConsumer listener) {
    listeners.add(requireNonNull(listener, "listener"));
    if (notifications && subscriber == null) {
      subscriber = new Thread(this::subscribeUntilClosed, "syncro-redis-" + prefix);
      subscriber.setDaemon(true);
      subscriber.start();
    }
  }

  private void subscribeUntilClosed() {
    long backoffMillis = 100;
    while (!closed) {
      JedisPubSub pubSub = JedisLinks.subscription(
          sequence -> listeners.forEach(listener -> listener.accept(sequence)));
      subscription = pubSub;
      try {
        redis.subscribe(pubSub, key("appended"));
        backoffMillis = 100;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        if (!JedisLinks.isRedisFailure(e) && !(e instanceof IllegalStateException)) {
          throw e;
        }
        log.warn("lost the subscription to {} ({}); retrying", key("appended"), e.getMessage());
        try {
          Thread.sleep(backoffMillis); // a library thread waiting for Redis to come back
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, 5_000);
      }
    }
  }

  /**
   * Deletes every key under this store's prefix: for tests and for starting over. Uses
   * {@code SCAN}, so it is safe on a busy server.
   */
  public void deleteEverything() {
    call("delete the store's keys", () -> {
      String cursor = "0";
      ScanParams match = new ScanParams().match(prefix + ":*").count(1000);
      do {
        ScanResult<String> page = redis.scan(cursor, match);
        if (!page.getResult().isEmpty()) {
          redis.del(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals("0"));
      return null;
    });
  }

  @Override
  public void close() {
    closed = true;
    JedisPubSub pubSub = subscription;
    if (pubSub != null && pubSub.isSubscribed()) {
      try {
        pubSub.unsubscribe();
      } catch (RuntimeException e) {
        log.debug("unsubscribing failed", e);
      }
    }
    if (subscriber != null) {
      subscriber.interrupt();
    }
    if (ownsClient) {
      redis.close();
    }
  }

  @Override
  public String toString() {
    return "RedisStore[" + prefix + "]";
  }

  /** Builds a {@link RedisStore}. */
  public static final class Builder {
    private URI url = URI.create("redis://127.0.0.1:6379");
    private UnifiedJedis client;
    private String prefix = "syncro";
    private boolean notifications = true;

    private Builder() {}

    /** Where Redis is, as {@code redis://host:port} (or {@code rediss://}, with credentials). */
    public Builder url(String url) {
      this.url = URI.create(requireNonNull(url, "url"));
      return this;
    }

    /** A client of the application's own; the store uses it and never closes it. */
    public Builder client(UnifiedJedis client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** What every key starts with, so several applications can share one Redis. */
    public Builder prefix(String prefix) {
      requireNonNull(prefix, "prefix");
      if (prefix.isEmpty() || prefix.contains(":")) {
        throw new IllegalArgumentException("prefix must be non-empty and without ':': " + prefix);
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Whether to subscribe to other nodes' announcements (the default). Without them a node
     * still delivers their scribes, when it next looks ({@link io.syncro.runtime.Syncro.Builder#repairInterval}).
     */
    public Builder notifications(boolean enabled) {
      this.notifications = enabled;
      return this;
    }

    public RedisStore build() {
      return new RedisStore(this);
    }
  }
}
