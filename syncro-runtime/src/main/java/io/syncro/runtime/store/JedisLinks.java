package io.syncro.runtime.store;

import java.net.URI;
import java.util.List;
import java.util.function.LongConsumer;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The parts of {@link RedisStore} that make the JVM load Jedis' classes as soon as
 * {@code RedisStore} itself is linked: a subclass of a Jedis class, a {@code catch} of a Jedis
 * exception, a Jedis subtype where its supertype is declared. Kept here, so that an application
 * without Jedis can still reach {@code RedisStore.builder()}, which then tells it to add Jedis
 * ({@code RedisStoreWithoutJedisTest}) instead of failing with a {@link NoClassDefFoundError}.
 * Whoever adds such code to {@code RedisStore} adds it here instead; that test says when.
 */
final class JedisLinks {
  private JedisLinks() {}

  /** A client of its own, for the store to own and close. */
  static UnifiedJedis open(URI url) {
    return RedisClient.create(url);
  }

  /** Whether a failure came from Jedis (Redis down, a command refused). */
  static boolean isRedisFailure(RuntimeException e) {
    return e instanceof JedisException;
  }

  /** Runs a script by its digest; sends its text when this Redis does not know it yet. */
  static Object evalByDigest(UnifiedJedis redis, String digest, String script,
      List<String> keys, List<String> args) {
    try {
      return redis.evalsha(digest, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(script, keys, args); // loads it, for the next calls
    }
  }

  /** A subscription that hands each announced sequence to {@code listener}. */
  static JedisPubSub subscription(LongConsumer listener) {
    return new JedisPubSub() {
      @Override
      public void onMessage(String channel, String message) {
        listener.accept(Long.parseLong(message));
      }
    };
  }
}
