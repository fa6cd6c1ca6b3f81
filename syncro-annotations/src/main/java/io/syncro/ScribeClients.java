package io.syncro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the instance method of a {@link Syncable} type that names who receives its scribes,
 * when that method is not called {@code scribeClients()}. The method takes no arguments, is not
 * private, and returns a {@code Collection<String>} of client uids; an empty collection means
 * nobody. Without such a method every client receives the type's scribes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ScribeClients {}
