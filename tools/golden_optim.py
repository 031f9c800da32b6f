#!/usr/bin/env python3
"""Golden values for autoint-core's optimizer test: 10 full-batch steps of each torch.optim optimizer.

Uses the first model of golden_model.py (same weights, float32) on 14 rows that touch every embedding
row, so PyTorch's dense updates and the Java library's row-sparse updates coincide. Records the loss
before each step and every parameter after the 10th step.

Run: /usr/bin/python3 tools/golden_optim.py  (needs Debian's python3-torch)
Writes autoint-core/src/test/resources/golden/optim_golden.json (deterministic).
"""
import json
import math
import os
import torch

import golden_model as gm

torch.set_default_dtype(torch.float32)


def build():
    case = gm.make_case("base", 1, 4, 2, 2, 3, True, True, [5, 3], True, 2)
    rows = []
    g = torch.Generator().manual_seed(5)
    for r in range(14):
        genres = [r % 6, (r + 3) % 6] if r % 3 else [r % 6]
        rows.append({"user": r % 5, "item": r % 7, "genres": genres, "age": float(torch.rand(1, generator=g) * 2 - 1),
                     "label": float(r % 2)})
    return case, rows


def forward(params, cfg, rows):
    d, layers, heads, hs = cfg["embeddingSize"], cfg["layers"], cfg["heads"], cfg["headSize"]
    logits = []
    for row in rows:
        e = []
        for fname, kind, vocab in gm.FIELDS:
            t = params["embedding." + fname]
            if kind == "CATEGORICAL":
                e.append(t[row[fname]])
            elif kind == "MULTI_CATEGORICAL":
                e.append(t[row[fname]].mean(0) if row[fname] else torch.zeros(d))
            else:
                e.append(row[fname] * t[0])
        e = torch.stack(e)
        x = e
        for l in range(layers):
            q = x @ params[f"attention.{l}.wq"].T
            k = x @ params[f"attention.{l}.wk"].T
            v = x @ params[f"attention.{l}.wv"].T
            outs = []
            for h in range(heads):
                sl = slice(h * hs, (h + 1) * hs)
                s = q[:, sl] @ k[:, sl].T / math.sqrt(hs)
                outs.append(torch.softmax(s, 1) @ v[:, sl])
            x = torch.relu(torch.cat(outs, 1) + x @ params[f"attention.{l}.wres"].T)
        h = e.reshape(-1)
        for i in range(len(cfg["dnnHidden"])):
            h = torch.relu(params[f"dnn.{i}.weight"] @ h + params[f"dnn.{i}.bias"])
        z = params["output.weight"][0] @ torch.cat([x.reshape(-1), h]) + params["output.bias"][0]
        for fname, kind, vocab in gm.FIELDS:
            w = params["linear." + fname]
            if kind == "CATEGORICAL":
                z = z + w[row[fname], 0]
            elif kind == "MULTI_CATEGORICAL":
                if row[fname]:
                    z = z + w[row[fname], 0].mean()
            else:
                z = z + row[fname] * w[0, 0]
        logits.append(z)
    labels = torch.tensor([r["label"] for r in rows])
    return torch.nn.functional.binary_cross_entropy_with_logits(torch.stack(logits), labels)


OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adam_l2": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.05),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop(p, lr=0.005, momentum=0.5, centered=True),
}


def main():
    case, rows = build()
    out = {"magic": "autoint-optim-golden", "version": 1, "torch": torch.__version__, "config": case["config"],
           "fields": case["fields"], "rows": rows, "initial": case["weights"], "runs": {}}
    for name, make in OPTIMIZERS.items():
        params = {k: torch.tensor(v["values"], dtype=torch.float32).reshape(v["shape"]).requires_grad_(True)
                  for k, v in case["weights"].items()}
        opt = make(list(params.values()))
        losses = []
        for step in range(10):
            opt.zero_grad()
            loss = forward(params, case["config"], rows)
            losses.append(loss.item())
            loss.backward()
            opt.step()
        out["runs"][name] = {"losses": losses,
                             "final": {k: v.detach().reshape(-1).tolist() for k, v in params.items()}}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "autoint-core", "src", "test",
                        "resources", "golden", "optim_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
