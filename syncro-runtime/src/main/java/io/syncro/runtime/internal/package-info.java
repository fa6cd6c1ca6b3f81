/**
 * Syncro's internals, including the helpers that generated code calls. Not an API: anything here
 * may change in any release. Applications use {@code io.syncro.runtime} instead.
 */
package io.syncro.runtime.internal;
