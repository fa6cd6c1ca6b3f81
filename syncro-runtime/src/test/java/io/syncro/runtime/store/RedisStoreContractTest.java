package io.syncro.runtime.store;

import io.syncro.runtime.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;

/** The store contract, on the real Redis at {@code REDIS_URL}. */
class RedisStoreContractTest extends ScribeStoreContract {
  private String prefix;

  @Override
  protected ScribeStore openNew() {
    prefix = TestRedis.uniquePrefix("contract");
    return RedisStore.builder().url(TestRedis.url()).prefix(prefix).build();
  }

  @Override
  protected ScribeStore reopen(ScribeStore closed) {
    closed.close();
    return RedisStore.builder().url(TestRedis.url()).prefix(prefix).build();
  }

  @AfterEach
  void deleteKeys() {
    try (RedisStore store = RedisStore.builder().url(TestRedis.url()).prefix(prefix).build()) {
      store.deleteEverything();
    }
  }
}
