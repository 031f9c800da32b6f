#!/usr/bin/env python3
"""PyTorch twins of the bench module's FamilyBenchmark: FM, DeepFM, DCN-v2, xDeepFM and AutoInt+ on the same CPU.

Every model reads the seed fields (14 categorical fields with the MovieLens-1M vocabularies, one embedding table of
D 16 with per-field offsets, initialised N(0, 0.01)), has a first-order linear term and the preset the library's
`bin/autoint train --model` uses (DeepCTR's defaults, docs/MODEL.md section 6), float32, no dropout:

  fm       logit = b + linear + 1/2 sum_k [(sum_f e_fk)^2 - sum_f e_fk^2]
  deepfm   fm plus a DNN 256-128-64 (ReLU) on the flattened embeddings, its last layer into the output layer
  dcnv2    two full-rank cross layers x_{l+1} = x_0 * (W_l x_l + b_l) + x_l beside the DNN 256-128-64, both into
           the output layer
  xdeepfm  CIN 128-128 with split halves (bias, ReLU, sum-pooled over D) beside the DNN 256-128-64
  autoint+ tools/bench_pytorch.py's AutoIntPlus (3 layers of 2 heads x 8, residual, DNN 32-32)

The model equations are those of tools/golden_family.py (which checks the library's values and gradients against
PyTorch); this file writes them for speed (one gather per batch, batched matrix products). It measures what
FamilyBenchmark measures, on 1 thread:

  inference of a batch of 2048 rows, probabilities (rows/s),
  training: 10 batches of 2048 (forward, BCE, backward, L2 1e-5 on each unique embedding row a batch touched,
  SparseAdam on the embedding tables and Adam on the dense layers, lr 1e-3) (samples/s).

With --jmh FILE (FamilyBenchmark's JMH JSON, `-rf json -rff FILE`) it prints both side by side with the ratio
library / PyTorch. tools/bench_family.sh runs JMH and this script in one sitting.

Run with Debian's PyTorch and OpenBLAS:
  apt-get install -y python3-torch libopenblas0-pthread && OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_family.py
"""
import argparse
import json
import platform

import torch
import torch.nn as nn

from bench_pytorch import VOCABULARIES, D, F, AutoIntPlus, random_rows, rate

BATCH, TRAIN_BATCHES = 2048, 10
DNN = [256, 128, 64]
CROSS_LAYERS = 2
CIN = [128, 128]
MODELS = ["fm", "deepfm", "dcnv2", "xdeepfm", "autoint+"]


def mlp(width, units):
    layers = []
    for u in units:
        layers += [nn.Linear(width, u), nn.ReLU()]
        width = u
    return nn.Sequential(*layers), width


class Family(nn.Module):
    """One of fm, deepfm, dcnv2, xdeepfm over the seed fields; the parts the preset lacks are absent."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        sizes = [v + 1 for v in VOCABULARIES]  # id 0 is unknown
        offsets = [0]
        for s in sizes[:-1]:
            offsets.append(offsets[-1] + s)
        self.register_buffer("offsets", torch.tensor(offsets))
        self.embedding = nn.Embedding(sum(sizes), D, sparse=True)
        nn.init.normal_(self.embedding.weight, std=0.01)
        self.linear = nn.Embedding(sum(sizes), 1, sparse=True)
        nn.init.zeros_(self.linear.weight)
        width, out_width = F * D, 0
        if kind == "dcnv2":
            self.cross = nn.ModuleList(nn.Linear(width, width) for _ in range(CROSS_LAYERS))
            out_width += width
        if kind == "xdeepfm":
            self.cin, prev = nn.ModuleList(), F
            for k, h in enumerate(CIN):
                self.cin.append(nn.Linear(prev * F, h))  # weight (H_k, H_{k-1} F), column i F + j
                last = k == len(CIN) - 1
                out_width += h if last else h // 2
                prev = h // 2
        if kind != "fm":
            self.dnn, w = mlp(width, DNN)
            out_width += w
        self.out = nn.Linear(out_width, 1) if out_width else None
        self.bias = nn.Parameter(torch.zeros(1)) if out_width == 0 else None

    def forward(self, ids):
        ids = ids + self.offsets
        e = self.embedding(ids)  # (B, F, D)
        b = e.shape[0]
        flat = e.reshape(b, F * D)
        logit = self.linear(ids).sum(dim=(1, 2))
        parts = []
        if self.kind in ("fm", "deepfm"):
            s = e.sum(1)
            logit = logit + 0.5 * (s * s - (e * e).sum(1)).sum(1)
        if self.kind == "dcnv2":
            x = flat
            for layer in self.cross:
                x = flat * layer(x) + x
            parts.append(x)
        if self.kind == "xdeepfm":
            hidden, pooled = e, []
            for k, layer in enumerate(self.cin):
                z = (hidden.unsqueeze(2) * e.unsqueeze(1)).reshape(b, -1, D)  # (B, H_{k-1} F, D)
                y = torch.relu(layer(z.transpose(1, 2))).transpose(1, 2)  # (B, H_k, D)
                if k < len(self.cin) - 1:
                    h = y.shape[1] // 2
                    hidden, direct = y[:, :h], y[:, h:]
                else:
                    direct = y
                pooled.append(direct.sum(2))
            parts.append(torch.cat(pooled, dim=1))
        if self.kind != "fm":
            parts.append(self.dnn(flat))
        if self.out is not None:
            return logit + self.out(torch.cat(parts, dim=1)).squeeze(1)
        return logit + self.bias


def build(name):
    return AutoIntPlus() if name == "autoint+" else Family(name)


def measure(name, min_seconds):
    torch.manual_seed(1)
    torch.set_num_threads(1)
    model = build(name)
    model.eval()
    batch, _ = random_rows(BATCH, 1)
    with torch.inference_mode():
        infer = rate(lambda: torch.sigmoid(model(batch)), min_seconds=min_seconds) * BATCH
    m = build(name)
    m.train()
    data, labels = random_rows(BATCH * TRAIN_BATCHES, 4)
    sparse = [m.embedding.weight, m.linear.weight]
    dense = [p for p in m.parameters() if all(p is not q for q in sparse)]
    opts = [torch.optim.SparseAdam(sparse, lr=1e-3), torch.optim.Adam(dense, lr=1e-3)]
    loss_fn = nn.BCEWithLogitsLoss()

    def epoch():
        for i in range(TRAIN_BATCHES):
            x, y = data[i * BATCH:(i + 1) * BATCH], labels[i * BATCH:(i + 1) * BATCH]
            for o in opts:
                o.zero_grad()
            rows = m.embedding(torch.unique(x + m.offsets))  # each touched row once, as the library does
            loss = loss_fn(m(x), y) + 1e-5 * (rows ** 2).sum()
            loss.backward()
            for o in opts:
                o.step()

    train = rate(epoch, min_seconds=2 * min_seconds, warmup=1) * BATCH * TRAIN_BATCHES
    return infer, train


def jmh_rates(path):
    """FamilyBenchmark's JMH JSON as {model: (inference rows/s, training samples/s)}."""
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for r in runs:
        name = r["benchmark"].rsplit(".", 1)[-1]
        if ".FamilyBenchmark." not in r["benchmark"]:
            continue
        model, score = r["params"]["model"], r["primaryMetric"]["score"]
        infer, train = out.get(model, (None, None))
        if name == "inferBatch2048":
            infer = score * BATCH
        elif name == "train10Batches":
            train = score * BATCH * TRAIN_BATCHES
        out[model] = (infer, train)
    return out


def fmt(x):
    return "-" if x is None else f"{x:,.0f}"


def ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.2f}"


def main():
    ap = argparse.ArgumentParser(description="PyTorch twins of FamilyBenchmark")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    ap.add_argument("--min-seconds", type=float, default=3.0,
                    help="measure inference this long per model, training twice as long (default 3)")
    ap.add_argument("--json", help="also write the rates to this file")
    ap.add_argument("--jmh", help="FamilyBenchmark's JMH JSON: print the library beside PyTorch with the ratios")
    args = ap.parse_args()
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in models:
        if m not in MODELS:
            ap.error(f"--models: unknown model '{m}' ({', '.join(MODELS)})")
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS library, so the maps below name it
    with open("/proc/self/maps") as maps:
        blas = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps if "blas" in line.lower()})
    print(f"PyTorch {torch.__version__}, {platform.machine()}, 1 thread, BLAS libraries loaded: {', '.join(blas) or 'none'}")
    results = {"torch": torch.__version__, "blas": blas, "models": {}}
    for name in models:
        infer, train = measure(name, args.min_seconds)
        results["models"][name] = {"infer_batch2048_rows_per_s": infer, "train_samples_per_s": train}
        print(f"{name:9s} inference batch 2048: {infer:12,.0f} rows/s   training batch 2048: {train:10,.0f} samples/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    if args.jmh:
        java = jmh_rates(args.jmh)
        print()
        print("1 thread, seed fields, batch 2048; ratio = library / PyTorch (above 1: the library is faster)")
        print()
        print("| model | library inference rows/s | PyTorch | ratio | library training samples/s | PyTorch | ratio |")
        print("|---|---|---|---|---|---|---|")
        for name in models:
            ji, jt = java.get(name, (None, None))
            pi = results["models"][name]["infer_batch2048_rows_per_s"]
            pt = results["models"][name]["train_samples_per_s"]
            print(f"| {name} | {fmt(ji)} | {fmt(pi)} | {ratio(ji, pi)} | {fmt(jt)} | {fmt(pt)} | {ratio(jt, pt)} |")


if __name__ == "__main__":
    main()
