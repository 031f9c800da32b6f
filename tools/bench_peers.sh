#!/usr/bin/env bash
# The peer comparison in one command: the library against ONNX Runtime Java and PyTorch on the seed
# configuration, on this machine, in one run, printed as one table with ratios.
#
#   1. export (when the peer directory lacks it or tools/export_onnx.py is newer): the library saves a model
#      (OnnxPeer save), tools/export_onnx.py exports the PyTorch twin with its weights to ONNX and writes PyTorch's
#      probabilities for 512 reference rows;
#   2. check: ONNX Runtime, PyTorch and the library must give the same probabilities on those rows (within
#      OnnxPeer.TOLERANCE, 1e-5), or the script stops;
#   3. JMH: PeakBenchmark (the single-core FMA peak), ModelBenchmark (the library: inference, candidates,
#      training on 1 and 2 threads) and OnnxPeerBenchmark (ONNX Runtime, 1 thread), results in DIR/jmh.json;
#   4. tools/bench_pytorch.py with OPENBLAS_NUM_THREADS=1 (PyTorch, the same workloads), in DIR/pytorch.json;
#   5. tools/peers_table.py prints the table.
#
# Usage: tools/bench_peers.sh [--dir DIR] [--quick] [JMH options...]
#   --dir DIR  the peer directory (default autoint-bench/target/onnx-peer)
#   --quick    one short iteration of everything: shows that the pipeline works, measures nothing
#   JMH options go to JMH as they are (e.g. -f 3); the benchmarks' own settings apply otherwise.
# Needs: autoint-bench/target/benchmarks.jar (built here with mvn when missing; MAVEN_OPTS passes Maven flags)
# and Debian's PyTorch: apt-get install -y python3-torch libopenblas0-pthread (OpenBLAS: without it PyTorch runs
# on the slow reference BLAS). Run it on a quiet machine: anything else running skews every figure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dir="autoint-bench/target/onnx-peer"
quick=0
jmh=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    *) jmh+=("$1"); shift ;;
  esac
done
python="${AUTOINT_PYTHON:-/usr/bin/python3}"
jar="autoint-bench/target/benchmarks.jar"
pytorch_args=()
if [ "$quick" = 1 ]; then
  jmh=(-wi 1 -w 1s -i 1 -r 1s -f 1 "${jmh[@]}")
  pytorch_args=(--min-seconds 0.3)
fi

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "bench_peers: $python cannot import torch: apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "== building $jar"
  mvn -B -q package -DskipTests -pl autoint-bench -am
fi

mkdir -p "$dir"
onnx="$dir/autoint_plus.onnx"
if [ ! -f "$onnx" ] || [ ! -f "$dir/reference.json" ] || [ ! -f "$dir/model/model.safetensors" ] \
    || [ tools/export_onnx.py -nt "$onnx" ] || [ tools/bench_pytorch.py -nt "$onnx" ]; then
  echo "== export: library model, then the PyTorch twin with its weights to ONNX"
  rm -rf "$dir/model" "$onnx" "$dir/reference.json"
  java --add-modules jdk.incubator.vector -cp "$jar" dev.autoint.bench.OnnxPeer save "$dir" 2>&1 \
    | grep -v '^WARNING: Using incubator modules'
  "$python" tools/export_onnx.py "$dir/model" "$dir"
else
  echo "== export: $onnx is up to date"
fi

echo "== check: the same probabilities from ONNX Runtime, PyTorch and the library"
java --add-modules jdk.incubator.vector -cp "$jar" dev.autoint.bench.OnnxPeer check "$dir" 2>&1 \
  | grep -v '^WARNING: Using incubator modules'

echo "== JMH: PeakBenchmark, ModelBenchmark, OnnxPeerBenchmark ${jmh[*]:-}"
java "-Dautoint.onnxPeer=$dir" -cp "$jar" org.openjdk.jmh.Main \
  'dev\.autoint\.bench\.(PeakBenchmark\.fma12|ModelBenchmark|OnnxPeerBenchmark)' \
  -rf json -rff "$dir/jmh.json" "${jmh[@]}" > "$dir/jmh.log" 2>&1 \
  || { tail -50 "$dir/jmh.log"; echo "bench_peers: JMH failed (log: $dir/jmh.log)" >&2; exit 1; }
sed -n '/^Benchmark /,$p' "$dir/jmh.log"

echo "== PyTorch: tools/bench_pytorch.py ${pytorch_args[*]:-}"
OPENBLAS_NUM_THREADS=1 "$python" tools/bench_pytorch.py --json "$dir/pytorch.json" "${pytorch_args[@]}"

"$python" tools/peers_table.py "$dir"
if [ "$quick" = 1 ]; then
  echo
  echo "(--quick: one short iteration each; these figures show the pipeline works and are not measurements)"
fi
