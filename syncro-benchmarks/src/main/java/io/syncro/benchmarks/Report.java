package io.syncro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one table from a run: JMH's results ({@code -rf json}) and the load driver's
 * {@code result} lines, each figure beside its goal and, for pairs, as a ratio.
 * Usage: {@code Report JMH_JSON... LOAD_RESULTS}.
 */
public final class Report {
  private final Map<String, Double> figures = new LinkedHashMap<>();
  private final StringBuilder table = new StringBuilder();

  private Report() {}

  public static void main(String[] args) throws IOException {
    Report report = new Report();
    for (int i = 0; i < args.length - 1; i++) {
      report.readJmh(Path.of(args[i]));
    }
    report.readLoad(Path.of(args[args.length - 1]));
    System.out.print(report.render());
  }

  private void readJmh(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    for (JsonNode run : Json.readTree(file.toFile())) {
      String name = run.path("benchmark").asText().replace("io.syncro.benchmarks.", "");
      JsonNode params = run.path("params");
      if (params.isObject() && params.size() > 0) {
        name += "[" + params.path("store").asText() + "," + params.path("scribes").asText() + "]";
      }
      figures.put(name, run.path("primaryMetric").path("score").asDouble());
    }
  }

  private void readLoad(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    LoadDriver.resultsOf(Files.readString(file))
        .forEach((name, value) -> figures.put(name, Double.parseDouble(value)));
  }

  String render() {
    row("figure", "value", "goal", "verdict");
    row("---", "---", "---", "---");
    ratio("codec: framed vs raw Jackson (ops/s)", "CodecBenchmark.framedCodec",
        "CodecBenchmark.rawJackson", 0.8);
    ratio("diff: generated vs reflection (ops/s)", "ReplayBenchmark.generatedDiff",
        "ReplayBenchmark.reflectionDiff", 3);
    ratio("replay: generated vs reflection (ops/s)", "ReplayBenchmark.generatedReplay",
        "ReplayBenchmark.reflectionReplay", 3);
    for (String store : new String[] {"memory", "file", "redis"}) {
      Double small = figures.get("SinceCursorBenchmark.sinceCursor[" + store + ",10000]");
      Double large = figures.get("SinceCursorBenchmark.sinceCursor[" + store + ",1000000]");
      if (small != null && large != null) {
        double factor = large / small;
        row("since cursor, " + store + ": 10^6 vs 10^4 (" + format(small) + " vs " + format(large) + " us)",
            format(factor) + "x", "at most 1.5x", factor <= 1.5 ? "met" : "MISSED");
      }
    }
    goal("catch-up of the backlog, memory (scribes/s)", "catchup.memory.scribes_per_second", 100_000);
    goal("catch-up of the backlog, file (scribes/s)", "catchup.file.scribes_per_second", 50_000);
    goal("catch-up of the backlog, redis (scribes/s)", "catchup.redis.scribes_per_second", 20_000);
    for (String store : new String[] {"memory", "file", "redis"}) {
      show("catch-up peak heap, " + store + ": client / server (MiB)",
          "catchup." + store + ".client_peak_heap_mb", "catchup." + store + ".server_peak_heap_mb");
    }
    show("a fresh client, file: seconds to sync 100,000 scribes, as the log / as a snapshot of"
        + " the 10,000 records they leave", "catchup.file.seconds_to_sync",
        "snapshot.file.seconds_to_sync");
    goal("initial sync by snapshot, file (records/s)", "snapshot.file.records_per_second",
        200_000);
    goal("initial sync of 1,000,000 records by snapshot, file (records/s)",
        "initial.file.records_per_second", 200_000);
    Double initialHeap = figures.get("initial.file.client_peak_heap_mb");
    if (initialHeap != null) {
      row("initial sync of 1,000,000 records: client peak heap (MiB)", format(initialHeap),
          "under 512", initialHeap < 512 ? "met" : "MISSED");
    }
    Double compacted = figures.get("compaction.file.after_vs_live");
    if (compacted != null) {
      row("file store after " + format(figures.get("compaction.file.updates")) + " updates to "
          + format(figures.get("compaction.file.records")) + " records, compacted: log size vs"
          + " live data as JSON (" + format(figures.get("compaction.file.bytes_after")) + " vs "
          + format(figures.get("compaction.file.live_json_bytes")) + " bytes, from "
          + format(figures.get("compaction.file.bytes_before")) + ")",
          format(compacted) + "x", "at most 3x", compacted <= 3 ? "met" : "MISSED");
    }
    show("fan-out: sessions", "fanout.sessions", null);
    show("fan-out latency p50 (ms)", "fanout.p50_ms", null);
    Double p99 = figures.get("fanout.p99_ms");
    if (p99 != null) {
      row("fan-out latency p99 (ms)", format(p99), "under 50", p99 < 50 ? "met" : "MISSED");
    }
    show("fan-out latency max (ms)", "fanout.max_ms", null);
    show("record into Redis (scribes/s) / redis-benchmark SET (ops/s)",
        "record.redis.scribes_per_second", "record.redis.redis_benchmark_set_per_second");
    show("record into Redis vs redis-benchmark SET (ratio)", "record.redis.ratio", null);
    return table.toString();
  }

  private void ratio(String label, String ours, String baseline, double goal) {
    Double a = figures.get(ours);
    Double b = figures.get(baseline);
    if (a != null && b != null) {
      double ratio = a / b;
      row(label + " " + format(a) + " vs " + format(b), format(ratio) + "x", "at least " + format(goal) + "x",
          ratio >= goal ? "met" : "MISSED");
    }
  }

  private void goal(String label, String name, double atLeast) {
    Double value = figures.get(name);
    if (value != null) {
      row(label, format(value), "at least " + format(atLeast), value >= atLeast ? "met" : "MISSED");
    }
  }

  private void show(String label, String first, String second) {
    Double a = figures.get(first);
    if (a == null) {
      return;
    }
    Double b = second == null ? null : figures.get(second);
    row(label, b == null ? format(a) : format(a) + " / " + format(b), "", "");
  }

  private void row(String... cells) {
    table.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String format(double value) {
    if (value >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
  }
}
