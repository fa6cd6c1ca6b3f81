package io.syncro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code written by the Syncro annotation processor, so that coverage and style tools can
 * skip it. Its name contains "Generated" on purpose: tools such as JaCoCo skip classes carrying
 * a CLASS-retention annotation of that name.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SyncroGenerated {}
