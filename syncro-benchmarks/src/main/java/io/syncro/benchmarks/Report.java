package io.syncro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncro.runtime.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one table from a run: JMH's results ({@code -rf json}) and the load driver's
 * {@code result} lines, each figure beside its goal and, for pairs, as a ratio. A load figure
 * measured several times (the same name on several lines) is reported as the median of its
 * runs, with their range; a JMH figure with its error. On these machines one run is not a
 * measurement: the same command differs by up to 2x between two runs.
 * Usage: {@code Report JMH_JSON... LOAD_RESULTS}.
 */
public final class Report {
  private final Map<String, Figure> figures = new LinkedHashMap<>();
  private final StringBuilder table = new StringBuilder();

  /** A figure: its value (a median, or a JMH score) and how far its runs spread. */
  record Figure(double value, String spread) {
    static Figure ofRuns(List<Double> runs) {
      List<Double> sorted = runs.stream().sorted().toList();
      int middle = sorted.size() / 2;
      double median = sorted.size() % 2 == 1
          ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
      String spread = sorted.size() == 1 ? "1 run"
          : format(sorted.get(0)) + " to " + format(sorted.get(sorted.size() - 1))
              + " (" + sorted.size() + " runs)";
      return new Figure(median, spread);
    }

    static Figure ofJmh(double score, double error) {
      return new Figure(score, Double.isNaN(error) ? "" : "± " + format(error));
    }
  }

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
      JsonNode metric = run.path("primaryMetric");
      figures.put(name, Figure.ofJmh(metric.path("score").asDouble(),
          metric.path("scoreError").asDouble(Double.NaN)));
    }
  }

  private void readLoad(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    LoadDriver.allResultsOf(Files.readString(file)).forEach((name, runs) ->
        figures.put(name, Figure.ofRuns(runs.stream().map(Double::parseDouble).toList())));
  }

  private Double value(String name) {
    Figure figure = figures.get(name);
    return figure == null ? null : figure.value();
  }

  private String spread(String name) {
    Figure figure = figures.get(name);
    return figure == null ? "" : figure.spread();
  }

  String render() {
    row("figure", "value", "spread", "goal", "verdict");
    row("---", "---", "---", "---", "---");
    ratio("codec: framed vs raw Jackson (ops/s)", "CodecBenchmark.framedCodec",
        "CodecBenchmark.rawJackson", 0.8);
    ratio("diff: generated vs reflection (ops/s)", "ReplayBenchmark.generatedDiff",
        "ReplayBenchmark.reflectionDiff", 3);
    ratio("replay: generated vs reflection (ops/s)", "ReplayBenchmark.generatedReplay",
        "ReplayBenchmark.reflectionReplay", 3);
    for (String store : new String[] {"memory", "file", "redis"}) {
      Double small = value("SinceCursorBenchmark.sinceCursor[" + store + ",10000]");
      Double large = value("SinceCursorBenchmark.sinceCursor[" + store + ",1000000]");
      if (small != null && large != null) {
        double factor = large / small;
        row("since cursor, " + store + ": 10^6 vs 10^4 (" + format(large) + " vs " + format(small) + " us)",
            format(factor) + "x", pairSpread("SinceCursorBenchmark.sinceCursor[" + store + ",1000000]",
                "SinceCursorBenchmark.sinceCursor[" + store + ",10000]"),
            "at most 1.5x", factor <= 1.5 ? "met" : "MISSED");
      }
    }
    goal("catch-up of the backlog, memory (scribes/s)", "catchup.memory.scribes_per_second", 100_000);
    goal("catch-up of the backlog, file (scribes/s)", "catchup.file.scribes_per_second", 60_000);
    goal("catch-up of the backlog, redis (scribes/s)", "catchup.redis.scribes_per_second", 40_000);
    for (String store : new String[] {"memory", "file", "redis"}) {
      below("catch-up peak heap, " + store + ", client (MiB)",
          "catchup." + store + ".client_peak_heap_mb", 256);
      show("catch-up peak heap, " + store + ", server (MiB)",
          "catchup." + store + ".server_peak_heap_mb", null);
      show("catch-up live heap (most held after a collection), " + store + ": client / server (MiB)",
          "catchup." + store + ".client_live_heap_mb", "catchup." + store + ".server_live_heap_mb");
    }
    goal("catch-up of the backlog, memory, client limited to 256 MiB (-Xmx256m) (scribes/s)",
        "small.memory.scribes_per_second", 100_000);
    below("catch-up peak heap, memory, client limited to 256 MiB (MiB)",
        "small.memory.client_peak_heap_mb", 256);
    show("a fresh client, file: seconds to sync 100,000 scribes, as the log / as a snapshot of"
        + " the 10,000 records they leave", "catchup.file.seconds_to_sync",
        "snapshot.file.seconds_to_sync");
    goal("initial sync by snapshot, file (records/s)", "snapshot.file.records_per_second",
        200_000);
    goal("initial sync of 1,000,000 records by snapshot, file server, client on disk in 512 MiB"
        + " (records/s)",
        "initial.file.records_per_second", 200_000);
    below("initial sync of 1,000,000 records: client peak heap (MiB)",
        "initial.file.client_peak_heap_mb", 512);
    show("initial sync of 1,000,000 records: client live heap, most held after a collection (MiB)",
        "initial.file.client_live_heap_mb", null);
    show("initial sync of 1,000,000 records: CPU seconds while it ran, client JVM / server JVM"
        + " (every thread, the collector's too)", "initial.file.client_cpu_seconds",
        "initial.file.server_cpu_seconds");
    show("initial sync of 1,000,000 records: the client's log, bytes a record (before any"
        + " compaction)", "initial.file.client_store_bytes_per_record", null);
    show("initial sync of 200,000 records, client on disk forcing each write to disk (the"
        + " default durability; a catch-up forces each page) (records/s)",
        "fsync.file.records_per_second", null);
    Double compacted = value("compaction.file.after_vs_live");
    if (compacted != null) {
      row("file store after " + format(value("compaction.file.updates")) + " updates to "
          + format(value("compaction.file.records")) + " records, compacted: log size vs"
          + " live data as JSON (" + format(value("compaction.file.bytes_after")) + " vs "
          + format(value("compaction.file.live_json_bytes")) + " bytes, from "
          + format(value("compaction.file.bytes_before")) + ")",
          format(compacted) + "x", spread("compaction.file.after_vs_live"), "at most 3x",
          compacted <= 3 ? "met" : "MISSED");
    }
    show("fan-out: sessions", "fanout.sessions", null);
    show("fan-out latency p50 (ms), clients in a JVM of their own", "fanout.p50_ms", null);
    below("fan-out latency p99 (ms), clients in a JVM of their own", "fanout.p99_ms", 50);
    show("fan-out latency max (ms), clients in a JVM of their own", "fanout.max_ms", null);
    show("fan-out latency p50 / p99 (ms), client nodes in the server's JVM",
        "fanout.one_jvm.p50_ms", "fanout.one_jvm.p99_ms");
    show("record into Redis (scribes/s) / redis-benchmark SET (ops/s)",
        "record.redis.scribes_per_second", "record.redis.redis_benchmark_set_per_second");
    Double recorded = value("record.redis.ratio");
    if (recorded != null) {
      row("record into Redis vs redis-benchmark SET (ratio)", format(recorded),
          spread("record.redis.ratio"), "at least 0.60", recorded >= 0.6 ? "met" : "MISSED");
    }
    return table.toString();
  }

  private void ratio(String label, String ours, String baseline, double goal) {
    Double a = value(ours);
    Double b = value(baseline);
    if (a != null && b != null) {
      double ratio = a / b;
      row(label + " " + format(a) + " vs " + format(b), format(ratio) + "x",
          pairSpread(ours, baseline), "at least " + format(goal) + "x", ratio >= goal ? "met" : "MISSED");
    }
  }

  /** The spreads of the two figures of a ratio, when they have any. */
  private String pairSpread(String first, String second) {
    String a = spread(first);
    String b = spread(second);
    return a.isEmpty() && b.isEmpty() ? "" : a + " vs " + b;
  }

  private void below(String label, String name, double under) {
    Double value = value(name);
    if (value != null) {
      row(label, format(value), spread(name), "under " + goalOf(under),
          value < under ? "met" : "MISSED");
    }
  }

  private void goal(String label, String name, double atLeast) {
    Double value = value(name);
    if (value != null) {
      row(label, format(value), spread(name), "at least " + goalOf(atLeast),
          value >= atLeast ? "met" : "MISSED");
    }
  }

  private void show(String label, String first, String second) {
    Double a = value(first);
    if (a == null) {
      return;
    }
    Double b = second == null ? null : value(second);
    row(label, b == null ? format(a) : format(a) + " / " + format(b),
        b == null ? spread(first) : pairSpread(first, second), "", "");
  }

  private void row(String... cells) {
    table.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  /** A goal as it is stated: whole numbers without decimals. */
  private static String goalOf(double goal) {
    return goal == Math.rint(goal) ? String.format(Locale.ROOT, "%,.0f", goal) : format(goal);
  }

  private static String format(double value) {
    if (value >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
  }
}
