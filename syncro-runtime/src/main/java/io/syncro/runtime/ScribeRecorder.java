package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a {@link SyncedRepository} sends the scribes it records. A {@link Syncro} node stores
 * them and pushes them to connected peers; anything else will do for tests or custom transports.
 */
@FunctionalInterface
public interface ScribeRecorder {

  /**
   * Records a scribe.
   *
   * @return the scribe as recorded, with its id when a store gave it one; empty when recording
   *     is suspended
   * @throws SyncroException when the scribe cannot be recorded; then the change must not be made
   */
  Optional<Scribe> record(Scribe scribe);

  /** A recorder that hands every scribe, unchanged, to a consumer. */
  static ScribeRecorder to(Consumer<Scribe> consumer) {
    requireNonNull(consumer, "consumer");
    return scribe -> {
      consumer.accept(scribe);
      return Optional.of(scribe);
    };
  }
}
