package io.syncro.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * An application that uses {@code RedisStore} without adding Jedis (an optional dependency of
 * the runtime) is told what to add, instead of getting a {@code NoClassDefFoundError}. This
 * also guards {@link JedisLinks}: code in {@code RedisStore} that makes the JVM load a Jedis
 * class when it links the store fails here.
 */
class RedisStoreWithoutJedisTest {

  /** Loads Syncro's own classes afresh and hides Jedis, as an application without it would. */
  private static final class WithoutJedis extends URLClassLoader {
    WithoutJedis(URL syncroClasses) {
      super(new URL[] {syncroClasses}, RedisStoreWithoutJedisTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("redis.clients.")) {
          throw new ClassNotFoundException(name);
        }
        if (name.startsWith("io.syncro.")) {
          Class<?> loaded = findLoadedClass(name);
          if (loaded == null) {
            try {
              loaded = findClass(name);
            } catch (ClassNotFoundException notInTheRuntime) {
              return super.loadClass(name, resolve); // the annotations' jar
            }
          }
          return loaded;
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  @Test
  void buildingOneWithoutJedisNamesTheArtifactAndItsVersion() throws Exception {
    URL syncroClasses = RedisStore.class.getProtectionDomain().getCodeSource().getLocation();
    try (WithoutJedis loader = new WithoutJedis(syncroClasses)) {
      Class<?> redisStore = loader.loadClass(RedisStore.class.getName());
      assertThat(redisStore).isNotSameAs(RedisStore.class);
      // Called as compiled code calls it; reflection would resolve every signature of the class.
      MethodHandle builder = MethodHandles.publicLookup().findStatic(redisStore, "builder",
          MethodType.methodType(loader.loadClass(RedisStore.Builder.class.getName())));

      Throwable thrown = catchThrowable(builder::invoke);

      assertThat(thrown.getClass().getName())
          .isEqualTo("io.syncro.runtime.SyncroConfigurationException");
      assertThat(thrown.getMessage())
          .contains("RedisStore needs redis.clients:jedis")
          .containsPattern("add redis\\.clients:jedis:\\d+\\.\\d+\\.\\d+ to your dependencies");
    }
  }

  @Test
  void withJedisTheBuilderIsThere() {
    assertThat(RedisStore.builder()).isNotNull();
  }
}
