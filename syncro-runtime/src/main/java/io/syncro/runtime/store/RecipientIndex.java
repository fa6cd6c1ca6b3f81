package io.syncro.runtime.store;

import io.syncro.runtime.Recipients;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Which scribe sequences are addressed to whom, for stores that keep their index in memory: one
 * sorted list for scribes to everyone, one per named recipient. "Since a cursor" finds its place
 * in two lists by binary search and merges them: O(log n + k). Not thread-safe: its store locks.
 */
final class RecipientIndex {
  private final SequenceList toEveryone = new SequenceList();
  private final Map<String, SequenceList> toClient = new HashMap<>();

  /** Indexes a scribe; sequences must be added in increasing order. */
  void add(long sequence, Recipients recipients) {
    if (recipients.isEveryone()) {
      toEveryone.add(sequence);
    } else {
      for (String uid : recipients.uids()) {
        toClient.computeIfAbsent(uid, u -> new SequenceList()).add(sequence);
      }
    }
  }

  /** Forgets every sequence before {@code floor}: those scribes were trimmed. */
  void dropBefore(long floor) {
    toEveryone.dropBefore(floor);
    toClient.values().removeIf(list -> {
      list.dropBefore(floor);
      return list.size == 0;
    });
  }

  /**
   * Walks the sequences addressed to a client after a position, oldest first, leaving out those
   * whose origin ({@code originOf}) is the client itself.
   */
  Walk after(String clientUid, long afterSequence, LongFunction<String> originOf) {
    return new Walk(clientUid, afterSequence, originOf);
  }

  /** The newest sequence addressed to the client and not from it; 0 when none. */
  long last(String clientUid, LongFunction<String> originOf) {
    SequenceList own = toClient.getOrDefault(clientUid, SequenceList.EMPTY);
    int i = toEveryone.size - 1;
    int j = own.size - 1;
    while (i >= 0 || j >= 0) {
      long candidate = (j < 0 || (i >= 0 && toEveryone.values[i] > own.values[j]))
          ? toEveryone.values[i--]
          : own.values[j--];
      if (!clientUid.equals(originOf.apply(candidate))) {
        return candidate;
      }
    }
    return 0;
  }

  /** A merge of the two lists from a position; see {@link #after}. */
  final class Walk {
    private final String clientUid;
    private final SequenceList own;
    private final LongFunction<String> originOf;
    private int i;
    private int j;

    private Walk(String clientUid, long after, LongFunction<String> originOf) {
      this.clientUid = clientUid;
      this.own = toClient.getOrDefault(clientUid, SequenceList.EMPTY);
      this.originOf = originOf;
      this.i = toEveryone.firstAfter(after);
      this.j = own.firstAfter(after);
    }

    /** The next sequence, or 0 when there is none. */
    long next() {
      while (i < toEveryone.size || j < own.size) {
        long sequence = (j >= own.size || (i < toEveryone.size && toEveryone.values[i] < own.values[j]))
            ? toEveryone.values[i++]
            : own.values[j++];
        if (!clientUid.equals(originOf.apply(sequence))) {
          return sequence;
        }
      }
      return 0;
    }
  }

  /** A growing, sorted array of sequence numbers. */
  private static final class SequenceList {
    static final SequenceList EMPTY = new SequenceList();

    long[] values = new long[16];
    int size;

    void add(long sequence) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = sequence;
    }

    void dropBefore(long floor) {
      int first = firstAfter(floor - 1);
      System.arraycopy(values, first, values, 0, size - first);
      size -= first;
    }

    /** The index of the first value greater than {@code sequence}. */
    int firstAfter(long sequence) {
      int found = Arrays.binarySearch(values, 0, size, sequence);
      return found >= 0 ? found + 1 : -found - 1;
    }
  }
}
