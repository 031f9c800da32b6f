#!/usr/bin/env python3
"""PyTorch twin of the bench module's ModelBenchmark, so both run on the same CPU.

The seed configuration (14 categorical fields with the MovieLens-1M vocabularies, embedding 16 initialised
N(0, 0.01), 3 interacting layers of 2 heads x 8 without logit scaling, residual projection, DNN 32-32,
first-order linear term, logits of the flattened attention output and the last hidden layer joined in one
output layer: the library's DeepCTR form), float32, no dropout. Measures what ModelBenchmark measures:

  inference of a batch of 2048 rows on 1 thread, probabilities (rows/s),
  scoring 3,706 candidate rows on 1 thread (ms),
  training (forward, BCE, backward, L2 1e-5 on each unique embedding row the batch touched, Adam lr 1e-3)
  at batch 2048 on 1 and 2 threads (samples/s).

Embeddings live in one table with per-field offsets (the fast PyTorch idiom, one gather per batch). They
are sparse tensors updated by SparseAdam (only the rows a batch touched, like the library's lazy Adam);
the dense layers use Adam.

Run with Debian's PyTorch and OpenBLAS:
  apt-get install -y python3-torch libopenblas0-pthread && OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_pytorch.py
(OPENBLAS_NUM_THREADS=1 keeps OpenBLAS's own threads from competing with PyTorch's: without it, 2-thread
training was slower than 1-thread here.)
Compare with:  java -jar autoint-bench/target/benchmarks.jar ModelBenchmark
(tools/bench_peers.sh runs both, and ONNX Runtime, and prints one table; it passes --json FILE to get the rates
as JSON, and --min-seconds for a quick run that only shows the script works.)
"""
import argparse
import json
import platform
import time

import torch
import torch.nn as nn

VOCABULARIES = [6040, 3706, 10, 81, 4, 12, 1, 18, 18, 16, 2, 7, 21, 3439]
D, LAYERS, HEADS, HEAD = 16, 3, 2, 8
A = HEADS * HEAD
DNN = [32, 32]
F = len(VOCABULARIES)


class AutoIntPlus(nn.Module):
    def __init__(self):
        super().__init__()
        sizes = [v + 1 for v in VOCABULARIES]  # id 0 is unknown
        offsets = [0]
        for s in sizes[:-1]:
            offsets.append(offsets[-1] + s)
        self.register_buffer("offsets", torch.tensor(offsets))
        self.embedding = nn.Embedding(sum(sizes), D, sparse=True)
        nn.init.normal_(self.embedding.weight, std=0.01)
        self.linear = nn.Embedding(sum(sizes), 1, sparse=True)
        nn.init.zeros_(self.linear.weight)
        self.proj = nn.ModuleList(nn.Linear(D if l == 0 else A, 4 * A, bias=False) for l in range(LAYERS))
        hidden, width = [], F * D
        for u in DNN:
            hidden += [nn.Linear(width, u), nn.ReLU()]
            width = u
        self.dnn = nn.Sequential(*hidden)
        self.out = nn.Linear(F * A + width, 1)

    def forward(self, ids):
        ids = ids + self.offsets
        e = self.embedding(ids)  # (B, F, D)
        b = e.shape[0]
        x = e
        for p in self.proj:
            q, k, v, r = p(x).split(A, dim=-1)
            q, k, v = (t.view(b, F, HEADS, HEAD).transpose(1, 2) for t in (q, k, v))
            att = torch.softmax(q @ k.transpose(-1, -2), dim=-1)  # the seed configuration does not scale
            o = (att @ v).transpose(1, 2).reshape(b, F, A)
            x = torch.relu(o + r)
        h = self.dnn(e.reshape(b, F * D))
        return self.out(torch.cat([x.reshape(b, F * A), h], dim=1)).squeeze(1) + self.linear(ids).sum(dim=(1, 2))


def random_rows(n, seed):
    g = torch.Generator().manual_seed(seed)
    cols = [torch.randint(1, v + 1, (n,), generator=g) for v in VOCABULARIES]
    return torch.stack(cols, dim=1), (torch.rand(n, generator=g) < 0.575).float()


def rate(fn, min_seconds=3.0, warmup=3):
    for _ in range(warmup):
        fn()
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return calls / elapsed


def main():
    ap = argparse.ArgumentParser(description="PyTorch twin of ModelBenchmark")
    ap.add_argument("--min-seconds", type=float, default=3.0,
                    help="measure each inference workload this long, training twice as long (default 3)")
    ap.add_argument("--json", help="also write the rates to this file")
    args = ap.parse_args()
    torch.manual_seed(1)
    model = AutoIntPlus()
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS library, so the maps below name it
    with open("/proc/self/maps") as maps:
        blas = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps if "blas" in line.lower()})
    print(f"PyTorch {torch.__version__}, {platform.machine()}, BLAS libraries loaded: {', '.join(blas) or 'none'} "
          "(Debian's generic libblas is the slow reference BLAS: apt-get install libopenblas0-pthread)")
    results = {"torch": torch.__version__, "blas": blas}
    flops = 140_544
    torch.set_num_threads(1)
    model.eval()
    batch, _ = random_rows(2048, 1)
    cand, _ = random_rows(3706, 2)
    with torch.inference_mode():
        r = rate(lambda: torch.sigmoid(model(batch)), min_seconds=args.min_seconds)
        results["infer_batch2048_rows_per_s"] = r * 2048
        print(f"inference batch 2048, 1 thread: {r * 2048:,.0f} rows/s ({r * 2048 * flops / 1e9:.2f} GFLOP/s)")
        r = rate(lambda: torch.sigmoid(model(cand)), min_seconds=args.min_seconds)
        results["candidates3706_ms"] = 1e3 / r
        print(f"3,706 candidates, 1 thread: {1e3 / r:.1f} ms")
    model.train()
    data, labels = random_rows(2048 * 10, 4)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        m = AutoIntPlus()
        sparse = [m.embedding.weight, m.linear.weight]
        dense = [p for p in m.parameters() if all(p is not q for q in sparse)]
        opts = [torch.optim.SparseAdam(sparse, lr=1e-3), torch.optim.Adam(dense, lr=1e-3)]
        loss_fn = nn.BCEWithLogitsLoss()

        def epoch():
            for i in range(10):
                x, y = data[i * 2048:(i + 1) * 2048], labels[i * 2048:(i + 1) * 2048]
                for o in opts:
                    o.zero_grad()
                rows = m.embedding(torch.unique(x + m.offsets))  # each touched row once, as the library does
                loss = loss_fn(m(x), y) + 1e-5 * (rows ** 2).sum()
                loss.backward()
                for o in opts:
                    o.step()

        r = rate(epoch, min_seconds=2 * args.min_seconds, warmup=1)
        results[f"train_{threads}_threads_samples_per_s"] = r * 20480
        print(f"training batch 2048, {threads} thread(s): {r * 20480:,.0f} samples/s "
              f"({r * 20480 * 3 * flops / 1e9:.2f} GFLOP/s)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
