package io.syncro.runtime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a writer's {@code main} in a JVM of its own, on this test's class path, and kills it with
 * SIGKILL once it has printed a given number of {@code ack ...} lines: the crash tests' way to
 * stop a process at a random point of its writes.
 */
public final class KilledWriter {
  private KilledWriter() {}

  /**
   * @return every {@code ack} line the writer printed, those after the kill was sent included
   *     (they were acknowledged before it died)
   */
  public static List<String> run(Class<?> main, int killAfterAcks, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process writer = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    List<String> acks = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("ack ")) {
          acks.add(line);
          if (acks.size() == killAfterAcks) {
            // SIGKILL through the handle, which (unlike Process.destroyForcibly) leaves the pipe
            // open: acks already written but not yet read here must still count.
            writer.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      writer.destroyForcibly();
      writer.waitFor(30, TimeUnit.SECONDS);
    }
    return acks;
  }
}
