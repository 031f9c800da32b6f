#!/usr/bin/env bash
# Per-model throughput of the family against PyTorch in one sitting, printed as one table with ratios:
#   1. JMH FamilyBenchmark (the library: FM, DeepFM, DCN-v2, xDeepFM, AutoInt+ on the seed fields, 1 thread,
#      inference of 2048 rows and training over 10 batches of 2048), results in DIR/jmh.json;
#   2. tools/bench_family.py with OPENBLAS_NUM_THREADS=1 (the PyTorch twins, the same workloads), in
#      DIR/pytorch.json, and the table: library, PyTorch and library / PyTorch per model and workload.
#
# Usage: tools/bench_family.sh [--dir DIR] [--models LIST] [--quick] [JMH options...]
#   --dir DIR      where the results go (default autoint-bench/target/family)
#   --models LIST  a comma-separated subset of fm,deepfm,dcnv2,xdeepfm,autoint+ (default: all), for both sides
#   --quick    one short iteration of everything without warm-up: shows that the pipeline works, measures nothing
#   JMH options go to JMH as they are (e.g. -p model=fm,deepfm); the benchmark's own settings apply otherwise.
# Needs: autoint-bench/target/benchmarks.jar (built here with mvn when missing; MAVEN_OPTS passes Maven flags)
# and Debian's PyTorch: apt-get install -y python3-torch libopenblas0-pthread. Run it on a quiet machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dir="autoint-bench/target/family"
quick=0
models="fm,deepfm,dcnv2,xdeepfm,autoint+"
jmh=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    *) jmh+=("$1"); shift ;;
  esac
done
python="${AUTOINT_PYTHON:-/usr/bin/python3}"
jar="autoint-bench/target/benchmarks.jar"
pytorch_args=()
if [ "$quick" = 1 ]; then
  jmh=(-wi 0 -i 1 -r 1s -f 1 "${jmh[@]}")
  pytorch_args=(--min-seconds 0.2)
fi

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "bench_family: $python cannot import torch: apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "== building $jar"
  mvn -B -q package -DskipTests -pl autoint-bench -am
fi
mkdir -p "$dir"

echo "== JMH: FamilyBenchmark ${jmh[*]:-}"
java -cp "$jar" org.openjdk.jmh.Main 'dev\.autoint\.bench\.FamilyBenchmark' -p "model=$models" \
  -rf json -rff "$dir/jmh.json" "${jmh[@]}" > "$dir/jmh.log" 2>&1 \
  || { tail -50 "$dir/jmh.log"; echo "bench_family: JMH failed (log: $dir/jmh.log)" >&2; exit 1; }
sed -n '/^Benchmark /,$p' "$dir/jmh.log"
grep -m1 '^# VM version' "$dir/jmh.log" || true
grep -m1 'model name' /proc/cpuinfo || true

echo "== PyTorch: tools/bench_family.py ${pytorch_args[*]:-}"
OPENBLAS_NUM_THREADS=1 "$python" tools/bench_family.py --models "$models" --json "$dir/pytorch.json" --jmh "$dir/jmh.json" "${pytorch_args[@]}"
if [ "$quick" = 1 ]; then
  echo
  echo "(--quick: one short iteration each, no warm-up; these figures show the pipeline works and are not measurements)"
fi
