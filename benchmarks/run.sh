#!/usr/bin/env bash
# Runs every benchmark in its short version and prints one table of figures, ratios and goals:
# about 20 minutes on 2 cores (RUNS=1 for a quick look: about 10). Needs Redis at REDIS_URL
# (default redis://127.0.0.1:6379) and redis-benchmark. Results stay in syncro-benchmarks/target
# (jmh-*.json, load.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -DskipTests install -pl syncro-benchmarks -am
cd syncro-benchmarks
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="target/classes:$(cat target/classpath.txt)"
JAVA=(java -Xmx4g -cp "$CP")

echo "== JMH: codec, replay and diff (about 1 minute) =="
"${JAVA[@]}" org.openjdk.jmh.Main -f 1 -wi 2 -i 3 -w 1s -r 1s \
    -rf json -rff target/jmh-codec.json 'CodecBenchmark|ReplayBenchmark' \
    | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'
# A store freshly filled with a million scribes needs a few seconds to settle (JIT, GC), hence
# more warm-up here.
echo "== JMH: since-cursor per store, 10^4 and 10^6 scribes (about 4 minutes) =="
"${JAVA[@]}" org.openjdk.jmh.Main -f 1 -wi 5 -i 5 -w 1s -r 1s \
    -rf json -rff target/jmh-since.json 'SinceCursorBenchmark' \
    | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'

# One run of every end-to-end figure. The machine's noise is as large as the differences we look
# for (the same command differs by up to 2x between two runs), so run.sh makes RUNS passes (3 by
# default) of the whole set, one after the other, and the report gives each figure's median and
# range.
load_pass() {
  for store in memory file redis; do
    "${JAVA[@]}" io.syncro.benchmarks.LoadDriver catchup "$store" 100000 2>/dev/null | grep '^result' | tee -a target/load.txt
  done
  # The same catch-up with the client given 256 MiB of heap: what the client needs, where the
  # peak under -Xmx4g also counts the garbage the collector had room to leave.
  java -Xmx256m -cp "$CP" -Dsyncro.resultPrefix=small. io.syncro.benchmarks.LoadDriver catchup memory 100000 \
      2>/dev/null | grep '^result' | tee -a target/load.txt
  # The same 100,000 scribes as creates of 10,000 records and 9 edits of each, to a client that
  # trusts the server: it gets the 10,000 records (a snapshot), not the log.
  "${JAVA[@]}" -Dsyncro.edits=9 io.syncro.benchmarks.LoadDriver snapshot file 100000 2>/dev/null \
      | grep '^result' | tee -a target/load.txt
  # A fresh client's initial sync of 1,000,000 records from a file store server (about 2 minutes),
  # the client a device: a file store keeping its records on disk, in a JVM of 512 MiB.
  java -Xmx512m -cp "$CP" -Dsyncro.clientStore=disk -Dsyncro.resultPrefix=initial. \
      io.syncro.benchmarks.LoadDriver snapshot file 1000000 2>/dev/null | grep '^result' | tee -a target/load.txt
  # The same client with a file store's default durability, each write forced to disk (a
  # catch-up's, each page), on 200,000 records (about 20 seconds).
  java -Xmx512m -cp "$CP" -Dsyncro.clientStore=disk -Dsyncro.durability=DISK -Dsyncro.resultPrefix=fsync. \
      io.syncro.benchmarks.LoadDriver snapshot file 200000 2>/dev/null | grep '^result' | tee -a target/load.txt
  # A file store's log after 1,000,000 updates to 1,000 records, compacted to the 10,000 scribes
  # kept (about a minute).
  "${JAVA[@]}" io.syncro.benchmarks.LoadDriver compact 1000000 1000 2>/dev/null | grep '^result' | tee -a target/load.txt
  "${JAVA[@]}" io.syncro.benchmarks.LoadDriver fanout 1000 100 2>/dev/null | grep '^result' | tee -a target/load.txt
  "${JAVA[@]}" io.syncro.benchmarks.LoadDriver record 20000 2>/dev/null | grep '^result' | tee -a target/load.txt
}

RUNS="${RUNS:-3}"
: > target/load.txt
for pass in $(seq 1 "$RUNS"); do
  echo "== End to end, pass $pass of $RUNS: catch-up of 100,000 scribes per store, snapshots, compaction, fan-out to 1,000 sessions, record vs Redis (about 5 minutes) =="
  load_pass
done

echo
echo "== Figures =="
"${JAVA[@]}" io.syncro.benchmarks.Report target/jmh-codec.json target/jmh-since.json target/load.txt
