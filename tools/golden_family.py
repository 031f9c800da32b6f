#!/usr/bin/env python3
"""Golden values for the model family beside AutoInt (FM, DeepFM, DCN-v2, xDeepFM), computed by an independent
PyTorch implementation.

Each model is written here from the papers' equations, batched over rows (the Java engine and its double
reference are written per lane and per row): the factorization machine (Rendle 2010), DCN-v2's full-rank cross
network (Wang et al. 2021, x_{l+1} = x_0 * (W_l x_l + b_l) + x_l), stacked and parallel, and xDeepFM's CIN
(Lian et al. 2018) with DeepCTR's bias and ReLU and its split halves. Small models over every field kind
(categorical, multi-valued mean-pooled, numeric) get fixed pseudo-random weights and inputs; the file records
the logits, the mean BCE loss and the gradient of every parameter (autograd, float64). Names and shapes follow
the Java model's safetensors layout: weights are (out, in) as in torch.nn.Linear, flattened embeddings and
cross weights field-major (index f*D + k), CIN weights (H_k, H_{k-1}*F) with column i*F + j.

Run with Debian's PyTorch:  apt-get install -y python3-torch && /usr/bin/python3 tools/golden_family.py
Writes autoint-core/src/test/resources/golden/family_golden.json (deterministic).
"""
import json
import os
import torch

torch.set_default_dtype(torch.float64)

FIELDS = [("user", "CATEGORICAL", 5), ("item", "CATEGORICAL", 7), ("genres", "MULTI_CATEGORICAL", 6),
          ("age", "NUMERIC", 1)]


def make_case(name, seed, d, interaction, dnn, linear, n):
    g = torch.Generator().manual_seed(seed)
    nf = len(FIELDS)
    kind = interaction["type"]

    def rand(*shape, scale=0.5):
        return ((torch.rand(*shape, generator=g) * 2 - 1) * scale).requires_grad_(True)

    params = {}
    for fname, _, vocab in FIELDS:
        params["embedding." + fname] = rand(vocab, d, scale=0.8)
    if linear:
        for fname, _, vocab in FIELDS:
            params["linear." + fname] = rand(vocab, 1, scale=0.3)
    width = nf * d
    interaction_width = 0
    if kind == "cross":
        for l in range(interaction["layers"]):
            params[f"cross.{l}.weight"] = rand(width, width, scale=0.3)
            params[f"cross.{l}.bias"] = rand(width, scale=0.3)
        interaction_width = 0 if interaction["stacked"] else width
    elif kind == "cin":
        sizes, split = interaction["layerSizes"], interaction["splitHalf"]
        prev = nf
        for k, h in enumerate(sizes):
            params[f"cin.{k}.weight"] = rand(h, prev * nf)
            params[f"cin.{k}.bias"] = rand(h, scale=0.3)
            last = k == len(sizes) - 1
            interaction_width += h // 2 if split and not last else h
            prev = h // 2 if split else h
    fan_in = width
    for i, u in enumerate(dnn):
        params[f"dnn.{i}.weight"] = rand(u, fan_in)
        params[f"dnn.{i}.bias"] = rand(u, scale=0.3)
        fan_in = u
    out_width = interaction_width + (dnn[-1] if dnn else 0)
    if out_width > 0:
        params["output.weight"] = rand(1, out_width)
    params["output.bias"] = rand(1, scale=0.3)

    rows = []
    for _ in range(n):
        user = int(torch.randint(0, 5, (1,), generator=g))
        item = int(torch.randint(0, 7, (1,), generator=g))
        q = int(torch.randint(0, 4, (1,), generator=g))
        genres = [int(x) for x in torch.randint(0, 6, (q,), generator=g)]
        age = float(torch.rand(1, generator=g) * 2 - 1)
        label = float(torch.randint(0, 2, (1,), generator=g))
        rows.append({"user": user, "item": item, "genres": genres, "age": age, "label": label})

    # Embeddings E (n, F, D) and the first-order term, batched.
    cols, lin = [], torch.zeros(n)
    for fname, fkind, _ in FIELDS:
        table = params["embedding." + fname]
        if fkind == "CATEGORICAL":
            ids = torch.tensor([r[fname] for r in rows])
            cols.append(table[ids])
            if linear:
                lin = lin + params["linear." + fname][ids, 0]
        elif fkind == "MULTI_CATEGORICAL":
            # Mean pooling as a (n, vocab) averaging matrix; an empty row pools to zero.
            avg = torch.zeros(n, table.shape[0])
            for s, r in enumerate(rows):
                for i in r[fname]:
                    avg[s, i] += 1.0 / len(r[fname])
            cols.append(avg @ table)
            if linear:
                lin = lin + (avg @ params["linear." + fname])[:, 0]
        else:
            x = torch.tensor([r[fname] for r in rows])
            cols.append(x[:, None] * table[0][None, :])
            if linear:
                lin = lin + x * params["linear." + fname][0, 0]
    e = torch.stack(cols, dim=1)
    flat = e.reshape(n, width)

    logits = params["output.bias"][0] + lin
    parts = []
    dnn_in = flat
    if kind == "fm":
        logits = logits + 0.5 * (e.sum(1) ** 2 - (e ** 2).sum(1)).sum(1)
    elif kind == "cross":
        x = flat
        for l in range(interaction["layers"]):
            x = flat * (x @ params[f"cross.{l}.weight"].T + params[f"cross.{l}.bias"]) + x
        if interaction["stacked"]:
            dnn_in = x
        else:
            parts.append(x)
    elif kind == "cin":
        sizes, split = interaction["layerSizes"], interaction["splitHalf"]
        hidden, pooled = e, []
        for k, h in enumerate(sizes):
            z = torch.einsum("nid,njd->nijd", hidden, e).reshape(n, -1, d)
            y = torch.relu(torch.einsum("hm,nmd->nhd", params[f"cin.{k}.weight"], z)
                           + params[f"cin.{k}.bias"][None, :, None])
            if split and k < len(sizes) - 1:
                hidden, direct = y[:, : h // 2], y[:, h // 2:]
            else:
                hidden, direct = y, y
            pooled.append(direct.sum(2))
        parts.append(torch.cat(pooled, dim=1))
    if dnn:
        h = dnn_in
        for i in range(len(dnn)):
            h = torch.relu(h @ params[f"dnn.{i}.weight"].T + params[f"dnn.{i}.bias"])
        parts.append(h)
    if parts:
        logits = logits + torch.cat(parts, dim=1) @ params["output.weight"][0]

    labels = torch.tensor([r["label"] for r in rows])
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    loss.backward()
    return {
        "name": name,
        "config": {"embeddingSize": d, "layers": 0, "heads": 2, "headSize": 8, "residual": True,
                   "scaledAttention": False, "dnnHidden": dnn, "dropout": 0.0, "linearTerm": linear,
                   "embeddingInitStd": 0.01, "seed": seed, "interaction": interaction},
        "fields": [{"name": f, "kind": k, "vocabularySize": v} for f, k, v in FIELDS],
        "rows": rows,
        "weights": {k: {"shape": list(v.shape), "values": v.detach().reshape(-1).tolist()} for k, v in params.items()},
        "logits": logits.detach().tolist(),
        "loss": loss.item(),
        "gradients": {k: v.grad.reshape(-1).tolist() for k, v in params.items()},
    }


def main():
    cases = [
        make_case("FM", 11, 4, {"type": "fm"}, [], True, 11),
        make_case("DeepFM", 12, 3, {"type": "fm"}, [5, 3], True, 13),
        make_case("DCN-v2 parallel", 13, 3, {"type": "cross", "layers": 2, "stacked": False}, [5], True, 9),
        make_case("DCN-v2 stacked", 14, 2, {"type": "cross", "layers": 3, "stacked": True}, [5, 3], False, 10),
        make_case("xDeepFM split half", 15, 3, {"type": "cin", "layerSizes": [4, 6, 3], "splitHalf": True}, [5], True, 12),
        make_case("CIN direct", 16, 2, {"type": "cin", "layerSizes": [3, 2], "splitHalf": False}, [], False, 8),
    ]
    out = {"magic": "autoint-family-golden", "version": 1, "torch": torch.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "autoint-core", "src", "test",
                        "resources", "golden", "family_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
