/**
 * The runtime's contract with the code that {@code syncro-processor} generates: the base class
 * every generated {@code X_SyncModel} extends ({@link io.syncro.runtime.generated.GeneratedSyncModel})
 * and the field readers and writers it calls ({@link io.syncro.runtime.generated.ScribeFields}).
 *
 * <p>Applications do not call it. It is versioned as a whole by
 * {@link io.syncro.runtime.generated.GeneratedSyncModel#CONTRACT_VERSION}: every generated class
 * states the version it was written for, and the runtime refuses a class written for another
 * version with a {@link io.syncro.runtime.SyncroConfigurationException} that says what to
 * recompile. Whatever generated code can see here changes only together with that version.
 */
package io.syncro.runtime.generated;
