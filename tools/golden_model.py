#!/usr/bin/env python3
"""Golden values for autoint-core's model test, computed by an independent PyTorch implementation.

Builds small AutoInt / AutoInt+ models with every field kind (categorical, multi-valued mean-pooled,
numeric), fixed pseudo-random weights and inputs, and records the logits, the mean BCE loss and the
gradient of every parameter (autograd, float64). Parameter names and shapes follow the Java model's
safetensors layout: weights are (out, in) as in torch.nn.Linear.

Run with Debian's PyTorch:  apt-get install -y python3-torch && /usr/bin/python3 tools/golden_model.py
Writes autoint-core/src/test/resources/golden/autoint_golden.json (deterministic).
"""
import json
import math
import os
import torch

torch.set_default_dtype(torch.float64)

FIELDS = [("user", "CATEGORICAL", 5), ("item", "CATEGORICAL", 7), ("genres", "MULTI_CATEGORICAL", 6),
          ("age", "NUMERIC", 1)]


def make_case(name, seed, d, layers, heads, head_size, residual, scaled, dnn, linear, n):
    g = torch.Generator().manual_seed(seed)
    a = heads * head_size
    nf = len(FIELDS)

    def rand(*shape, scale=0.5):
        return ((torch.rand(*shape, generator=g) * 2 - 1) * scale).requires_grad_(True)

    params = {}
    for fname, kind, vocab in FIELDS:
        params["embedding." + fname] = rand(vocab, d, scale=0.8)
    if linear:
        for fname, kind, vocab in FIELDS:
            params["linear." + fname] = rand(vocab, 1, scale=0.3)
    for l in range(layers):
        din = d if l == 0 else a
        for w in ["wq", "wk", "wv"] + (["wres"] if residual else []):
            params[f"attention.{l}.{w}"] = rand(a, din)
    fan_in = nf * d
    for i, u in enumerate(dnn):
        params[f"dnn.{i}.weight"] = rand(u, fan_in)
        params[f"dnn.{i}.bias"] = rand(u, scale=0.3)
        fan_in = u
    out_width = nf * (a if layers > 0 else d) + (dnn[-1] if dnn else 0)
    params["output.weight"] = rand(1, out_width)
    params["output.bias"] = rand(1, scale=0.3)

    # inputs
    rows = []
    for r in range(n):
        user = int(torch.randint(0, 5, (1,), generator=g))
        item = int(torch.randint(0, 7, (1,), generator=g))
        q = int(torch.randint(0, 4, (1,), generator=g))
        genres = [int(x) for x in torch.randint(0, 6, (q,), generator=g)]
        age = float(torch.rand(1, generator=g) * 2 - 1)
        label = float(torch.randint(0, 2, (1,), generator=g))
        rows.append({"user": user, "item": item, "genres": genres, "age": age, "label": label})

    logits = []
    for row in rows:
        e = []
        for fname, kind, vocab in FIELDS:
            table = params["embedding." + fname]
            if kind == "CATEGORICAL":
                e.append(table[row[fname]])
            elif kind == "MULTI_CATEGORICAL":
                ids = row[fname]
                e.append(table[ids].mean(0) if ids else torch.zeros(d))
            else:
                e.append(row[fname] * table[0])
        e = torch.stack(e)  # (F, D)
        x = e
        for l in range(layers):
            q = x @ params[f"attention.{l}.wq"].T
            k = x @ params[f"attention.{l}.wk"].T
            v = x @ params[f"attention.{l}.wv"].T
            heads_out = []
            for h in range(heads):
                sl = slice(h * head_size, (h + 1) * head_size)
                s = q[:, sl] @ k[:, sl].T
                if scaled:
                    s = s / math.sqrt(head_size)
                p = torch.softmax(s, dim=1)
                heads_out.append(p @ v[:, sl])
            y = torch.cat(heads_out, dim=1)
            if residual:
                y = y + x @ params[f"attention.{l}.wres"].T
            x = torch.relu(y)
        parts = [x.reshape(-1)]
        if dnn:
            h = e.reshape(-1)
            for i in range(len(dnn)):
                h = torch.relu(params[f"dnn.{i}.weight"] @ h + params[f"dnn.{i}.bias"])
            parts.append(h)
        z = params["output.weight"][0] @ torch.cat(parts) + params["output.bias"][0]
        if linear:
            for fname, kind, vocab in FIELDS:
                w = params["linear." + fname]
                if kind == "CATEGORICAL":
                    z = z + w[row[fname], 0]
                elif kind == "MULTI_CATEGORICAL":
                    if row[fname]:
                        z = z + w[row[fname], 0].mean()
                else:
                    z = z + row[fname] * w[0, 0]
        logits.append(z)
    logits = torch.stack(logits)
    labels = torch.tensor([r["label"] for r in rows])
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    loss.backward()
    return {
        "name": name,
        "config": {"embeddingSize": d, "layers": layers, "heads": heads, "headSize": head_size,
                   "residual": residual, "scaledAttention": scaled, "dnnHidden": dnn, "dropout": 0.0,
                   "linearTerm": linear, "embeddingInitStd": 0.01, "seed": seed},
        "fields": [{"name": f, "kind": k, "vocabularySize": v} for f, k, v in FIELDS],
        "rows": rows,
        "weights": {k: {"shape": list(v.shape), "values": v.detach().reshape(-1).tolist()} for k, v in params.items()},
        "logits": logits.detach().tolist(),
        "loss": loss.item(),
        "gradients": {k: v.grad.reshape(-1).tolist() for k, v in params.items()},
    }


def main():
    cases = [
        make_case("AutoInt+ scaled, residual, linear", 1, 4, 2, 2, 3, True, True, [5, 3], True, 13),
        make_case("AutoInt paper form", 2, 4, 3, 2, 2, True, False, [], False, 9),
        make_case("AutoInt no residual", 3, 3, 1, 1, 4, False, False, [], False, 7),
    ]
    out = {"magic": "autoint-golden", "version": 1, "torch": torch.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "autoint-core", "src", "test",
                        "resources", "golden", "autoint_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
