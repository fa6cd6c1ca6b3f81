package io.syncro.runtime.internal.session;

import java.time.Duration;

/**
 * The numbers a session works within, as the node's builder set them; see
 * {@code Syncro.Builder} for what each means.
 */
public record SessionLimits(
    Duration requestTimeout,
    int maxFrameBytes,
    int maxRecoveredFrameBytes,
    int maxUnauthenticatedFrameBytes,
    long maxUnauthenticatedBytes,
    int maxAuthFailures,
    int catchUpWindow,
    int syncPageSize,
    int maxPendingRequests,
    long maxQueuedBytes,
    int maxScribesPerSecond,
    Duration resyncDelay,
    boolean sendStamps) {}
