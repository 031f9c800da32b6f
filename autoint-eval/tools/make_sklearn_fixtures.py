#!/usr/bin/python3
"""Generate the scikit-learn reference fixture for autoint-eval's metric tests.

Run with Debian's python (apt-get install -y python3-sklearn):

    /usr/bin/python3 autoint-eval/tools/make_sklearn_fixtures.py

It writes autoint-eval/src/test/resources/sklearn_metrics_fixture.json. Cases are drawn from a
fixed numpy seed, so re-running gives the same file (for the same scikit-learn version).

Conventions and how they are matched to the Java side:
  * roc_auc_score: exact, ties averaged (trapezoid) -- same as the Java AUC. Single-class cases
    are undefined in sklearn (ValueError) and recorded as null; Java returns NaN.
  * log_loss: the probabilities are clipped to [1e-7, 1-1e-7] here *before* calling log_loss,
    so sklearn's own (version-dependent) eps clipping is a no-op; labels=[0, 1] lets single-class
    cases through.
  * gAUC: no sklearn function; computed here as the row-count-weighted mean of per-user
    roc_auc_score over users with both classes.
  * ndcg_score: linear (graded) gains rel/log2(rank+1), no 2^rel-1. Java breaks ties by
    (score desc, item id asc); sklearn would average tied gains (ignore_ties=False) or use an
    unstable argsort (ignore_ties=True). So the tie rule is applied here first and sklearn gets
    distinct rank-derived scores with ignore_ties=True. The tie-averaged sklearn value is stored
    too (ndcg_tie_averaged) for information only.
  * average_precision_score: equals Java AP@K with K >= n when there are no ties (the rank-
    derived scores guarantee that) and at least one positive; otherwise null.
  * precision/recall/hitrate/AP@K/RR@K at K (also K larger than the list): no sklearn
    equivalents; recomputed here independently in plain python from the definitions.
"""
import json
import math
import os
import sys

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, log_loss, ndcg_score, roc_auc_score

EPS = 1e-7
rng = np.random.default_rng(20240611)


def maybe_ties(x, tied):
    return np.round(x, 1) if tied else x


def classification_case(kind):
    n = int(rng.integers(2, 60))
    tied = kind in ("ties", "all_positive", "all_negative") or rng.random() < 0.3
    p = maybe_ties(rng.random(n), tied)
    if kind == "extremes":
        p[: max(1, n // 4)] = 0.0
        p[-max(1, n // 4):] = 1.0
    if kind == "all_positive":
        y = np.ones(n, dtype=int)
    elif kind == "all_negative":
        y = np.zeros(n, dtype=int)
    else:
        # labels correlated with the scores, so AUCs are not all near 0.5
        y = (rng.random(n) < 0.2 + 0.6 * p).astype(int)
    users = rng.integers(0, max(1, n // 6) + 1, size=n)
    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < n else None
    ll = float(log_loss(y, np.clip(p, EPS, 1 - EPS), labels=[0, 1]))
    num = den = 0.0
    for u in np.unique(users):
        m = users == u
        yu = y[m]
        if 0 < yu.sum() < len(yu):
            num += len(yu) * roc_auc_score(yu, p[m])
            den += len(yu)
    gauc = num / den if den > 0 else None
    return {"kind": kind, "scores": p.tolist(), "labels": y.tolist(), "users": users.tolist(),
            "auc": auc, "logloss": ll, "gauc": gauc}


def ranking_case(kind):
    n = int(rng.integers(2, 30))
    tied = kind == "ties" or rng.random() < 0.4
    scores = maybe_ties(rng.random(n), tied)
    if kind == "ties":
        scores = np.round(scores * 3) / 3.0
    ids = rng.permutation(1000)[:n]
    if kind == "all_relevant":
        gains = rng.integers(1, 4, size=n)
    elif kind == "none_relevant":
        gains = np.zeros(n, dtype=int)
    else:
        gains = rng.integers(0, 4, size=n) * (rng.random(n) < 0.5)
    binary = (gains > 0).astype(int)
    ks = sorted({1, 3, 5, 10, n, n + 7})
    order = sorted(range(n), key=lambda i: (-scores[i], ids[i]))
    rank_score = np.empty(n)
    for pos, i in enumerate(order):
        rank_score[i] = n - pos
    ranked_bin = [int(binary[i]) for i in order]
    num_rel = int(binary.sum())
    out = {"kind": kind, "scores": scores.tolist(), "ids": ids.tolist(), "gains": gains.tolist(), "at": []}
    for k in ks:
        top = ranked_bin[:k]
        hits = sum(top)
        ap_sum, h = 0.0, 0
        for i, r in enumerate(top):
            if r:
                h += 1
                ap_sum += h / (i + 1)
        first = next((i for i, r in enumerate(top) if r), None)
        entry = {
            "k": k,
            "ndcg": float(ndcg_score([gains], [rank_score], k=k, ignore_ties=True)),
            "ndcg_binary": float(ndcg_score([binary], [rank_score], k=k, ignore_ties=True)),
            "ndcg_tie_averaged": float(ndcg_score([gains], [scores], k=k, ignore_ties=False)),
            "precision": hits / k,
            "truncated_precision": hits / min(k, n),
            "recall": hits / num_rel if num_rel else 0.0,
            "hitrate": 1.0 if hits else 0.0,
            "ap": ap_sum / min(k, num_rel) if num_rel else 0.0,
            "rr": 1.0 / (first + 1) if first is not None else 0.0,
        }
        out["at"].append(entry)
    out["sklearn_ap_full"] = float(average_precision_score(binary, rank_score)) if num_rel else None
    return out


def main():
    kinds_c = ["random"] * 24 + ["ties"] * 6 + ["extremes"] * 4 + ["all_positive"] * 3 + ["all_negative"] * 3
    kinds_r = ["random"] * 24 + ["ties"] * 8 + ["all_relevant"] * 4 + ["none_relevant"] * 4
    fixture = {
        "generator": "autoint-eval/tools/make_sklearn_fixtures.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "classification": [classification_case(k) for k in kinds_c],
        "ranking": [ranking_case(k) for k in kinds_r],
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "src", "test", "resources", "sklearn_metrics_fixture.json")
    with open(target, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=False)
        f.write("\n")
    print("wrote", os.path.normpath(target), file=sys.stderr)


if __name__ == "__main__":
    main()
