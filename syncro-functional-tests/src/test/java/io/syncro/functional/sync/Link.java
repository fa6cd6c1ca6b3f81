package io.syncro.functional.sync;

import io.syncro.runtime.Session;

/** A connection between two nodes under test, whatever carries it. */
interface Link extends AutoCloseable {

  /** The session on the first node, whose peer is the second. */
  Session first();

  /** The session on the second node, whose peer is the first. */
  Session second();

  /** Breaks the connection as a network failure would: both sides see it closed. */
  void drop();

  /** The longest frame carried so far, in bytes of JSON. */
  int longestFrame();

  /** The JSON of every message sent to the second node so far, in order. */
  java.util.List<String> sentToSecond();

  @Override
  void close();
}
