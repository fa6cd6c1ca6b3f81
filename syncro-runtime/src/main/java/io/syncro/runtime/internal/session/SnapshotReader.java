package io.syncro.runtime.internal.session;

import io.syncro.runtime.Scribe;
import io.syncro.runtime.internal.Messages;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A snapshot under way for one peer (see {@link OutboundCatchUp}): where it is in the node's
 * records, class by class, and what it read from the store but has not sent yet. Confined to the
 * session's loop.
 */
final class SnapshotReader {
  private final SessionHost host;
  private final String peer;
  final List<String> classes;
  /** The sequence of the newest scribe when the snapshot began: it holds every change up to it. */
  final long logPosition;
  /** What the first page says of the records the peer holds; null: it holds none of ours. */
  final Messages.SnapshotReset reset;
  /** Records read from the store, for the peer, not yet sent. */
  final Deque<Scribe> pending = new ArrayDeque<>();
  private int klassIndex;
  /** Where the next store page of the current class starts; null at its start. */
  private String position;
  /** How many pages were sent. */
  int pages;
  /** What remains to send, as counted when it began. */
  long remaining;

  SnapshotReader(SessionHost host, String peer, List<String> classes, long logPosition,
      long total, Messages.SnapshotReset reset) {
    this.host = host;
    this.peer = peer;
    this.classes = classes;
    this.logPosition = logPosition;
    this.remaining = total;
    this.reset = reset;
  }

  /** The name of the next page, as the peer asks for it. */
  String pageName() {
    return Messages.SNAPSHOT_PAGE + pages;
  }

  /** Reads store pages until {@code wanted} records are pending or every class is read. */
  void fill(int wanted) {
    while (pending.size() < wanted && klassIndex < classes.size()) {
      String klass = classes.get(klassIndex);
      SessionHost.SnapshotPage page =
          host.snapshotPage(peer, klass, position, host.limits().syncPageSize());
      pending.addAll(page.records());
      position = page.next();
      if (position == null) {
        klassIndex++;
      }
    }
  }

  /** Whether every record was read and sent. */
  boolean done() {
    return pending.isEmpty() && klassIndex >= classes.size();
  }
}
