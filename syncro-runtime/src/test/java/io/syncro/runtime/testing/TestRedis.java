package io.syncro.runtime.testing;

import io.syncro.runtime.store.RedisStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import redis.clients.jedis.RedisClient;

/**
 * The Redis that tests talk to: the one at {@code REDIS_URL} (default
 * {@code redis://127.0.0.1:6379}) when it answers; else, where {@code redis-server} is installed,
 * one started for this test run; else the tests fail, saying what to start. Each store gets a
 * prefix of its own, and tests delete its keys when done.
 */
public final class TestRedis {
  private static String url;

  private TestRedis() {}

  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    String configured = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    if (answers(configured)) {
      url = configured;
      return url;
    }
    try {
      Path directory = Files.createTempDirectory("syncro-test-redis");
      RedisServerProcess server = RedisServerProcess.start(directory);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      url = server.url();
      return url;
    } catch (Exception e) {
      throw new IllegalStateException("Redis does not answer at " + configured
          + (Boolean.parseBoolean(System.getenv("CI")) ? " in CI" : "")
          + ", and no redis-server could be started here (" + e.getMessage()
          + "): start Redis, or set REDIS_URL", e);
    }
  }

  private static boolean answers(String candidate) {
    try (RedisClient client = RedisClient.create(URI.create(candidate))) {
      return "PONG".equals(client.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A store with a prefix no other test uses. */
  public static RedisStore newStore(String name) {
    return RedisStore.builder().url(url()).prefix(uniquePrefix(name)).build();
  }

  public static String uniquePrefix(String name) {
    return "syncro-test-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
