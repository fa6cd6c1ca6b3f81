package io.syncro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field (or record component) that identifies a {@link Syncable} object across
 * clients. Needed only when the id is not named {@code id}. Its type must be {@code String},
 * {@code UUID}, or an integral number ({@code int}, {@code long} or their boxes).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface SyncId {}
