#!/usr/bin/env bash
# A CPU profile of one JMH benchmark with async-profiler, attributed to the library's kernels and layers.
#
# async-profiler is published on Maven Central (tools.profiler:async-profiler, with its native library for
# linux-x64 and linux-arm64 inside the jar); this script fetches it into the local Maven repository, extracts the
# library into autoint-bench/target/async-profiler/, runs the benchmark once with JMH's async profiler
# (event cpu, 1 ms interval, collapsed stacks, inlined frames included) and prints the share of samples by the
# innermost frame of dev.autoint.core.internal (the kernel or layer loop running; Vector API methods inlined
# into a kernel count for that kernel) and by engine call site.
#
# Usage: tools/profile.sh [BENCHMARK_REGEX] [JMH options...]
#   default regex ModelBenchmark.inferBatch2048; e.g. tools/profile.sh 'ModelBenchmark.train10Batches' -p threads=1
# Output: autoint-bench/target/profile/<benchmark>/collapsed-cpu.csv (a flame graph's input) and the table.
# Needs autoint-bench/target/benchmarks.jar (mvn -q -B install -DskipTests). Run on a quiet machine.
# JFR instead (no download): docs/PERFORMANCE.md, "How to reproduce".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version=3.0
regex="${1:-ModelBenchmark.inferBatch2048}"
[ $# -gt 0 ] && shift
jar=autoint-bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "profile.sh: $jar is missing; build it with: mvn -q -B install -DskipTests" >&2; exit 2; }
lib=autoint-bench/target/async-profiler/linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  mkdir -p autoint-bench/target/async-profiler
  mvn -q -B dependency:copy -Dartifact=tools.profiler:async-profiler:$version -DoutputDirectory=autoint-bench/target/async-profiler
  (cd autoint-bench/target/async-profiler && unzip -o -q async-profiler-$version.jar 'linux-*/*')
fi
out=autoint-bench/target/profile
rm -rf "$out"
java -cp "$jar" org.openjdk.jmh.Main "$regex" -wi 2 -w 2s -i 3 -r 3s -f 1 \
  -jvmArgsAppend "--add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=100000 -Xmx2g" \
  -prof "async:libPath=$root/$lib;output=collapsed;event=cpu;interval=1000000;dir=$root/$out" "$@" \
  | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' || true
for f in "$out"/*/collapsed-cpu.csv; do
  echo "== $(basename "$(dirname "$f")")"
  python3 tools/profile_parts.py "$f"
done
