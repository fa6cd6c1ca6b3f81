package io.syncro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class or record whose changes Syncro records as scribes and replays on other clients.
 *
 * <p>The annotation processor generates, for each such type, a model class (named by
 * {@code io.syncro.runtime.SyncModels#generatedClassName}) that records creates, updates and
 * destroys and replays them, with no reflection at run time.
 *
 * <p>The type needs an id: a field annotated {@link SyncId}, or else a field or record
 * component named {@code id}. Every other non-static field is synced, except {@code transient}
 * fields and fields annotated {@link SyncIgnore}. A class needs a non-private no-argument
 * constructor, and each synced field must be non-private or have a JavaBean getter and setter.
 * Records are rebuilt through their canonical constructor.
 *
 * <p>Who receives a record's scribes is decided by an instance method named
 * {@code scribeClients()} (or marked {@link ScribeClients}) returning a collection of client
 * uids; without one, every client receives them.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Syncable {

  /**
   * The class's name on the wire (the scribe's {@code klass}); defaults to the simple name.
   * It must be unique among the synced classes of an application.
   */
  String klass() default "";

  /**
   * The only operations recorded as scribes (the original's {@code only}); empty means all.
   * Cannot be combined with {@link #except()}.
   */
  ScribeType[] only() default {};

  /** Operations never recorded as scribes (the original's {@code except}). */
  ScribeType[] except() default {};
}
