package io.syncro.runtime.internal;

import io.syncro.runtime.SyncroConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A library an optional feature needs and Syncro does not bring (Jedis for {@code RedisStore}).
 * Checked before the feature touches it, so that an application without it gets an error that
 * names the artifact and its version instead of a {@link NoClassDefFoundError} from deep inside.
 */
public final class OptionalDependency {
  private static final Properties TESTED_VERSIONS = load();

  private OptionalDependency() {}

  /**
   * Throws unless {@code className} can be loaded by the loader that loaded Syncro.
   *
   * @param artifact the dependency's {@code groupId:artifactId}
   * @param feature what needs it, as the application wrote it
   * @throws SyncroConfigurationException naming the artifact and the version to add
   */
  public static void require(String className, String artifact, String feature) {
    try {
      Class.forName(className, false, OptionalDependency.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      String version = TESTED_VERSIONS.getProperty(artifact, "");
      String coordinates = version.isEmpty() ? artifact : artifact + ":" + version;
      throw new SyncroConfigurationException(feature + " needs " + artifact + " on the class"
          + " path, and Syncro does not bring it: add " + coordinates + " to your dependencies"
          + " (the version Syncro is tested with)", e);
    }
  }

  private static Properties load() {
    Properties versions = new Properties();
    try (InputStream in = OptionalDependency.class.getResourceAsStream("optional-dependencies.properties")) {
      if (in != null) {
        versions.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }
}
