package io.syncro.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main job: what it prints, and that it ends with both nodes equal. */
class RecordReplayDemoTest {

  @Test
  void walksThroughRecordingAndReplayAndEndsEqual() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean equal = new RecordReplayDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(equal).isTrue();
    assertThat(output)
        .contains("A -> {\"klass\":\"Note\",\"type\":\"create\",\"data\":{\"id\":\"n1\","
            + "\"title\":\"Groceries\",\"tags\":[\"home\"],\"owner\":\"alice\",\"sharedWith\":[]}}")
        .contains("A -> {\"klass\":\"Note\",\"type\":\"update\",\"data\":[\"n1\","
            + "{\"title\":\"Groceries for Sunday\",\"tags\":[\"home\",\"weekend\"]}]}")
        .contains("A -> {\"klass\":\"Note\",\"type\":\"destroy\",\"data\":[\"n2\"]}")
        .contains("B replays the first scribe again: skipped")
        .contains("B: \"Groceries for Sunday\" [home, weekend] (n1, owner alice)")
        .endsWith("A and B are equal." + System.lineSeparator());
    assertThat(output.lines().filter(line -> line.startsWith("A -> "))).hasSize(4);
  }
}
