package io.syncro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps a field (or record component) of a {@link Syncable} type out of its scribes: it is never
 * sent, and replay never changes it. {@code transient} fields are left out the same way. A record
 * rebuilt by a create gets the component's default value ({@code null}, zero or {@code false}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface SyncIgnore {}
