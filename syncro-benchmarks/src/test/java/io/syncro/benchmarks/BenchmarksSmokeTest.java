package io.syncro.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark once, briefly, with small data, so that none rots between full runs
 * ({@code benchmarks/run.sh}). Nothing here asserts on speed: only that each one runs and
 * reports.
 */
class BenchmarksSmokeTest {

  @Test
  void everyJmhBenchmarkRuns() throws Exception {
    Options options = new OptionsBuilder()
        .include("CodecBenchmark|ReplayBenchmark|SinceCursorBenchmark")
        .param("scribes", "1000")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .build();

    List<RunResult> results = List.copyOf(new Runner(options).run());

    // 2 codec + 4 replay + 3 stores of since-cursor.
    assertThat(results).hasSize(9)
        .allSatisfy(result -> assertThat(result.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void theLoadDriverRunsEachCommand() throws Exception {
    String output = run("catchup", "memory", "2000") + run("catchup", "file", "1000")
        + run("catchup", "redis", "1000") + run("snapshot", "file", "1000")
        + run("compact", "2000", "10") + run("fanout", "20", "5") + run("record", "500");
    Map<String, String> results = LoadDriver.resultsOf(output);

    assertThat(results).containsKeys("catchup.memory.scribes_per_second",
        "catchup.file.scribes_per_second", "catchup.redis.scribes_per_second",
        "catchup.memory.client_peak_heap_mb", "snapshot.file.records_per_second",
        "fanout.p99_ms", "fanout.one_jvm.p99_ms", "record.redis.ratio");
    assertThat(Long.parseLong(results.get("compaction.file.bytes_after")))
        .as("2,000 updates of 10 records, 100 scribes kept")
        .isLessThan(Long.parseLong(results.get("compaction.file.bytes_before")) / 5);
  }

  @Test
  void theReportPutsFiguresBesideTheirGoals(@TempDir Path directory) throws Exception {
    Path load = Files.writeString(directory.resolve("load.txt"), String.join("\n",
        "result catchup.memory.scribes_per_second 150000",
        "result catchup.memory.scribes_per_second 90000",
        "result catchup.memory.scribes_per_second 120000",
        "result initial.file.client_peak_heap_mb 300",
        "result compaction.file.updates 1000000",
        "result compaction.file.records 1000",
        "result compaction.file.bytes_before 600000000",
        "result compaction.file.bytes_after 4000000",
        "result compaction.file.live_json_bytes 1000000",
        "result compaction.file.after_vs_live 4.0",
        "result fanout.p99_ms 80.5"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      Report.main(new String[] {directory.resolve("none.json").toString(), load.toString()});
    } finally {
      System.setOut(stdout);
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .as("a figure run three times: its median, and the range of its runs")
        .contains("| catch-up of the backlog, memory (scribes/s) | 120,000 | 90,000 to 150,000 (3 runs)"
            + " | at least 100,000 | met |")
        .contains("| fan-out latency p99 (ms), clients in a JVM of their own | 80.5 | 1 run | under 50 | MISSED |")
        .contains("| initial sync of 1,000,000 records: client peak heap (MiB) | 300.0 | 1 run | under 512 | met |")
        .contains("records, compacted: log size vs live data as JSON (4,000,000 vs 1,000,000 bytes,"
            + " from 600,000,000) | 4.00x | 1 run | at most 3x | MISSED |");
  }

  /** Runs the driver in a JVM of its own, as benchmarks/run.sh does. */
  private static String run(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LoadDriver.class.getName()));
    command.addAll(List.of(args));
    Process driver = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(driver.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(driver.exitValue()).as(String.join(" ", args) + ": " + output).isZero();
    return output;
  }
}
