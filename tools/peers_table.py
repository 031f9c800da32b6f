#!/usr/bin/env python3
"""Print the peer comparison (issue #16's table) from the files tools/bench_peers.sh leaves in a peer directory.

Reads DIR/jmh.json (JMH's JSON results of PeakBenchmark, ModelBenchmark and OnnxPeerBenchmark),
DIR/pytorch.json (tools/bench_pytorch.py --json) and DIR/agreement.json (OnnxPeer check), and prints a
Markdown table: each workload's rate for the library, ONNX Runtime Java and PyTorch, the library's fraction of
the measured single-core peak, and the library's speed over each peer's as a ratio. Standard library only.

Usage: python3 tools/peers_table.py DIR
"""
import json
import os
import platform
import sys

FORWARD_FLOPS_PER_ROW = 140_544  # SeedSetup.FORWARD_FLOPS_PER_ROW
USER_CANDIDATE_FLOPS_PER_ROW = FORWARD_FLOPS_PER_ROW - 16_384  # minus SeedSetup.USER_CANDIDATE_FLOPS_SAVED_PER_ROW
BATCH, CANDIDATES, TRAIN_ROWS = 2048, 3706, 2048 * 10


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def jmh_scores(results):
    """(class.method, threads param or None) -> JMH result, for the benchmarks of this package."""
    out = {}
    for r in results:
        name = r["benchmark"].replace("dev.autoint.bench.", "")
        out[(name, r.get("params", {}).get("threads"))] = r
    return out


def ops_per_s(r):
    m = r["primaryMetric"]
    unit = m["scoreUnit"]
    scale = {"ops/s": 1.0, "ops/ms": 1e3, "ops/us": 1e6}.get(unit)
    if scale is None:
        sys.exit(f"peers_table: unexpected JMH unit {unit} for {r['benchmark']}")
    return m["score"] * scale


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.1f}×"


def fmt_rate(x, unit=""):
    if x is None:
        return "–"
    return f"{x / 1e3:,.1f}k{unit}" if x >= 1e3 else f"{x:,.0f}{unit}"


def fmt_ms(x):
    return "–" if x is None else f"{x:.1f} ms"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    with open(os.path.join(d, "jmh.json")) as f:
        results = json.load(f)
    with open(os.path.join(d, "pytorch.json")) as f:
        torch = json.load(f)
    with open(os.path.join(d, "agreement.json")) as f:
        agreement = json.load(f)
    jmh = jmh_scores(results)

    def get(name, threads=None):
        r = jmh.get((name, threads))
        return None if r is None else ops_per_s(r)

    peak_result = jmh.get(("PeakBenchmark.fma12", None))
    peak = peak_result["secondaryMetrics"]["flops"]["score"] / 1e9 if peak_result else None

    def of_peak(rows_per_s, flops_per_row, cores):
        if peak is None or rows_per_s is None:
            return ""
        return f" ({100 * rows_per_s * flops_per_row / 1e9 / (peak * cores):.0f}% of peak)"

    lib_infer = get("ModelBenchmark.inferBatch2048")
    lib_cand = get("ModelBenchmark.scoreCandidates3706")
    lib_ucand = get("ModelBenchmark.scoreUserCandidates3706")
    lib_t1 = get("ModelBenchmark.train10Batches", "1")
    lib_t2 = get("ModelBenchmark.train10Batches", "2")
    ort_infer = get("OnnxPeerBenchmark.inferBatch2048")
    ort_cand = get("OnnxPeerBenchmark.scoreCandidates3706")
    ort_ucand = get("OnnxPeerBenchmark.scoreUserCandidates3706")
    pt_infer = torch.get("infer_batch2048_rows_per_s")
    pt_cand_ms = torch.get("candidates3706_ms")
    pt_t1 = torch.get("train_1_threads_samples_per_s")
    pt_t2 = torch.get("train_2_threads_samples_per_s")

    rows_s = lambda ops, rows: None if ops is None else ops * rows  # noqa: E731
    ms = lambda ops: None if ops is None else 1e3 / ops  # noqa: E731
    li, oi = rows_s(lib_infer, BATCH), rows_s(ort_infer, BATCH)
    lc, oc = ms(lib_cand), ms(ort_cand)
    luc, ouc = ms(lib_ucand), ms(ort_ucand)
    l1, l2 = rows_s(lib_t1, TRAIN_ROWS), rows_s(lib_t2, TRAIN_ROWS)

    any_run = results[0] if results else {}
    print()
    print(f"CPU: {cpu()}, {os.cpu_count()} cores; JDK {any_run.get('jdkVersion', '?')} ({any_run.get('vmName', '?')} "
          f"{any_run.get('vmVersion', '')}); JMH {any_run.get('jmhVersion', '?')}, warm-up "
          f"{any_run.get('warmupIterations', '?')} × {any_run.get('warmupTime', '?')}, measurement "
          f"{any_run.get('measurementIterations', '?')} × {any_run.get('measurementTime', '?')}, "
          f"forks {any_run.get('forks', '?')}")
    print(f"Peak (PeakBenchmark): {'–' if peak is None else f'{peak:.1f}'} GFLOP/s FP32 per core; "
          f"ONNX Runtime Java {agreement['ortVersion']} (intra-op and inter-op threads 1); PyTorch {torch['torch']} "
          f"(BLAS: {', '.join(torch.get('blas') or []) or 'none'}); ONNX opset {agreement['opset']}")
    print(f"Same probabilities on {agreement['rows']} reference rows: max |ORT − library| "
          f"{agreement['ortVsLibrary']:.2g}, max |ORT − PyTorch| {agreement['ortVsTorch']:.2g}, "
          f"max |library − PyTorch| {agreement['libraryVsTorch']:.2g}")
    print()
    print("Speed-ups are the library's rate over the peer's (above 1×: the library is faster).")
    print()
    print("| workload | this library | ONNX Runtime Java | PyTorch | speed-up over ONNX Runtime | over PyTorch |")
    print("|---|---|---|---|---|---|")
    print(f"| inference, batch 2048, 1 thread | {fmt_rate(li, ' rows/s')}{of_peak(li, FORWARD_FLOPS_PER_ROW, 1)} "
          f"| {fmt_rate(oi)} | {fmt_rate(pt_infer)} | {ratio(li, oi)} | {ratio(li, pt_infer)} |")
    print(f"| 3,706 candidates, 1 thread | {fmt_ms(lc)}{of_peak(None if lc is None else CANDIDATES * 1e3 / lc, FORWARD_FLOPS_PER_ROW, 1)} "
          f"| {fmt_ms(oc)} | {fmt_ms(pt_cand_ms)} | {ratio(oc, lc)} | {ratio(pt_cand_ms, lc)} |")
    print(f"| one user's 3,706 candidates, 1 thread | {fmt_ms(luc)}"
          f"{of_peak(None if luc is None else CANDIDATES * 1e3 / luc, USER_CANDIDATE_FLOPS_PER_ROW, 1)} "
          f"| {fmt_ms(ouc)} | – | {ratio(ouc, luc)} | – |")
    print(f"| training, 1 thread | {fmt_rate(l1, ' samples/s')}{of_peak(l1, 3 * FORWARD_FLOPS_PER_ROW, 1)} | – "
          f"| {fmt_rate(pt_t1)} | – | {ratio(l1, pt_t1)} |")
    print(f"| training, 2 threads | {fmt_rate(l2, ' samples/s')}{of_peak(l2, 3 * FORWARD_FLOPS_PER_ROW, 2)}, "
          f"{ratio(l2, l1)} the 1-thread rate | – | {fmt_rate(pt_t2)} | – | {ratio(l2, pt_t2)} |")


if __name__ == "__main__":
    main()
