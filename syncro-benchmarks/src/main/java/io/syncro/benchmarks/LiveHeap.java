package io.syncro.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * How much heap a JVM used so far, from its garbage collections: the most held right after one
 * (what it kept alive: the memory a workload needs), and the most in use, which is reached right
 * before one (garbage not yet collected counted too: it grows with the room the collector was
 * given, {@code -Xmx}). The sum of each heap pool's own peak, which a first version reported,
 * overstates the second: the pools peak at different moments (it read 281 MiB in a JVM limited
 * to 256).
 */
final class LiveHeap {
  private static final AtomicLong MOST_AFTER_COLLECTION = new AtomicLong();
  private static final AtomicLong MOST_BEFORE_COLLECTION = new AtomicLong();

  private LiveHeap() {}

  /** Starts listening to the JVM's collections; call once, early. */
  static void watch() {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
        if (!notification.getType().equals(
            GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
            (CompositeData) notification.getUserData());
        MOST_AFTER_COLLECTION.accumulateAndGet(
            heapUsed(info.getGcInfo().getMemoryUsageAfterGc(), heapPools), Math::max);
        MOST_BEFORE_COLLECTION.accumulateAndGet(
            heapUsed(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools), Math::max);
      }, null, null);
    }
  }

  /** The most held after a collection so far, in bytes; 0 before the first collection. */
  static long mostAfterCollection() {
    return MOST_AFTER_COLLECTION.get();
  }

  /** The most in use at once so far, in bytes: before any collection, or now. */
  static long mostInUse() {
    return Math.max(MOST_BEFORE_COLLECTION.get(),
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  private static long heapUsed(Map<String, MemoryUsage> pools, Set<String> heapPools) {
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }
}
