package io.syncro.functional.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncro.functional.Note;
import io.syncro.runtime.Connection;
import io.syncro.runtime.Session;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds a node random and mutated frames, seeded so any failure replays: nothing escapes to the
 * caller, nothing hangs, memory stays bounded, and every message the node does not accept leaves
 * what it stores exactly as it was. {@code -Dsyncro.fuzz.frames=N} runs longer than the
 * 100,000 frames of a CI run; {@code -Dsyncro.fuzz.seed=S} replays one.
 *
 * <p>The node logs thousands of warnings here on purpose (every frame it refuses or skips): the
 * test keeps them out of the build's output ({@link CapturedLog#quiet}), prints how many there
 * were, and asserts that none is an error (an error means an exception the node did not expect).
 */
class HostileInputFuzzTest {
  private static final int FRAMES = Integer.getInteger("syncro.fuzz.frames", 100_000);
  private static final long SEED = Long.getLong("syncro.fuzz.seed", System.nanoTime());

  /** Messages an honest peer sends, to mutate. */
  private static final List<String> CORPUS = List.of(
      "{\"type\":\"sync\",\"from\":null,\"id\":1}",
      "{\"type\":\"sync\",\"from\":\"3\",\"id\":2}",
      "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"create\",\"data\":{\"id\":\"m1\",\"text\":\"hi\",\"version\":1}},\"id\":3}",
      "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"update\",\"data\":[\"seed\",{\"text\":\"changed\"}],\"id\":\"9\"},\"id\":4}",
      "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Memo\",\"type\":\"destroy\",\"data\":[\"seed\"]},\"id\":5}",
      "{\"type\":\"add_scribe\",\"scribe\":{\"klass\":\"Note\",\"type\":\"update\",\"data\":[\"n1\",{\"title\":\"x\"}]},\"id\":6}",
      "{\"type\":\"rpc\",\"klass\":\"Syncro::RPC::Default\",\"method\":\"last_scribe_id\",\"args\":[],\"id\":7}",
      "{\"type\":\"noop\",\"id\":8}",
      "{\"type\":\"response\",\"id\":1,\"result\":[]}",
      "{\"type\":\"error\",\"code\":403}");

  private static final String[] JSON_VALUES = {
    "null", "true", "0", "-1", "1e309", "\"\"", "\"m1\"", "[]", "{}", "[null]", "\"\\ud800\"",
    "9223372036854775808", "{\"a\":[[[[[]]]]]}", "\"NaN\""
  };

  /** Captures what the node answers; a peer that never sends back. */
  private static final class Sink implements Connection {
    String last;
    boolean closed;

    @Override
    public void send(byte[] bytes) {
      String message = new String(bytes, 2, bytes.length - 2, StandardCharsets.US_ASCII);
      // The answer to mallory's frame, not a scribe pushed to her after it (a change she makes
      // to a destroyed record is answered, then the destroy is pushed to her).
      if (!message.startsWith("{\"type\":\"add_scribe\"")) {
        last = message;
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void randomAndMutatedFramesNeverEscapeNorChangeStateWhenRejected() {
    Random random = new Random(SEED);
    MemoryStore store = new MemoryStore();
    Syncro node = Syncro.builder().store(store).model(Memo.class).model(Note.class)
        .maxFrameBytes(2_048).build();
    node.repository(Memo.class, String.class).save(new Memo("seed", "kept unless changed"));
    Note note = new Note("n1", "private", "alice");
    note.readers = Set.of();
    node.repository(Note.class, String.class).save(note);

    Sink sink = new Sink();
    Session session = node.connect("mallory", sink);
    int accepted = 0;
    int closes = 0;
    CapturedLog log = CapturedLog.quiet();
    try (log) {
      for (int i = 0; i < FRAMES; i++) {
        if (sink.closed || !session.isOpen()) {
          closes++;
          sink = new Sink();
          session = node.connect("mallory", sink);
        }
        String before = state(node, store);
        sink.last = null;
        byte[] frame = random.nextInt(100) == 0 ? rawBytes(random) : RawPeer.frame(message(random));

        int awaitingBefore = session.pendingRequests();
        session.receiveData(frame); // must not throw, whatever it is fed
        assertThat(session.pendingRequests()).as("requests awaiting mallory's answer").isLessThanOrEqualTo(1_000);

        boolean changedState = sink.last != null && sink.last.contains("\"result\":true")
            && frame.length > 2 && new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8)
                .contains("add_scribe");
        // A response to the node's own sync (sent in answer to one of mallory's) is not rejected:
        // it may mark her caught up, as any peer's answer does.
        changedState |= session.pendingRequests() < awaitingBefore;
        if (changedState) {
          accepted++;
        } else {
          assertThat(state(node, store)).as("seed %d, frame %d: %s", SEED, i, printable(frame))
              .isEqualTo(before);
        }
      }
    }
    System.out.printf("HostileInputFuzzTest: seed %d, %d frames, %d accepted changes, %d sessions"
        + " closed for a bad frame, %d warnings logged (kept out of the output)%n", SEED, FRAMES,
        accepted, closes, log.linesContaining(" WARN "));
    assertThat(log.text().lines().filter(line -> line.contains(" ERROR ")))
        .as("errors logged: exceptions the node did not expect").isEmpty();
    assertThat(node.sessions()).hasSizeLessThanOrEqualTo(1);
    node.close();
  }

  /**
   * What anyone but mallory could see or get: the objects, the clients' states, and the last
   * scribe alice (a recipient of everything stored here) would sync. A refusal may store a
   * removal addressed to mallory alone; nothing else.
   */
  private static String state(Syncro node, MemoryStore store) {
    return store.lastIdFor("alice") + " " + store.clients() + " "
        + store.objects("Memo") + " " + store.objects("Note");
  }

  /** A mutated corpus message, or one built from random JSON values in the right places. */
  private static String message(Random random) {
    String base = CORPUS.get(random.nextInt(CORPUS.size()));
    switch (random.nextInt(6)) {
      case 0:
        return base;
      case 1: { // replace one JSON value after a colon with another
        int colon = base.indexOf(':', random.nextInt(base.length()));
        if (colon < 0) {
          return base;
        }
        int end = colon + 1;
        while (end < base.length() && ",}]".indexOf(base.charAt(end)) < 0) {
          end++;
        }
        return base.substring(0, colon + 1) + JSON_VALUES[random.nextInt(JSON_VALUES.length)]
            + base.substring(end);
      }
      case 2: { // cut it short
        return base.substring(0, random.nextInt(base.length()));
      }
      case 3: { // flip characters
        char[] chars = base.toCharArray();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
          chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
        }
        return new String(chars);
      }
      case 4: { // splice two messages
        String other = CORPUS.get(random.nextInt(CORPUS.size()));
        return base.substring(0, random.nextInt(base.length())) + other.substring(random.nextInt(other.length()));
      }
      default: { // random bytes as text
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(64); n > 0; n--) {
          text.append((char) random.nextInt(0x3000));
        }
        return text.toString();
      }
    }
  }

  /** Bytes that ignore the framing: a length that lies, or one past the limit. */
  private static byte[] rawBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String printable(byte[] frame) {
    List<String> shown = new ArrayList<>();
    String text = new String(frame, StandardCharsets.UTF_8);
    shown.add(text.length() > 200 ? text.substring(0, 200) + "..." : text);
    return shown.get(0);
  }
}
