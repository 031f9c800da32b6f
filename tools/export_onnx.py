#!/usr/bin/env python3
"""Export the PyTorch twin of the seed configuration to ONNX, with the weights of a library model.

The twin is tools/bench_pytorch.py's AutoIntPlus (imported, not copied). Its weights come from a model
directory the library saved (model.safetensors + model.json, as dev.autoint.core.io.ModelFiles writes them;
`java -cp autoint-bench/target/benchmarks.jar dev.autoint.bench.OnnxPeer save DIR/model` makes one), so the
library, PyTorch and ONNX Runtime all score with the same numbers. The library keeps one table per field
(`embedding.<field>`, `linear.<field>`) and four matrices per interacting layer (`attention.<l>.wq|wk|wv|wres`,
each (A, in)); the twin has one table for all fields, indexed with per-field offsets, and one (4A, in)
projection per layer split into q, k, v and the residual: the per-field tables are stacked in field order and
the four matrices stacked in that order. The DNN's Linear layers sit at 0, 2, ... in its Sequential.

Writes into OUT_DIR:
  autoint_plus.onnx  input "ids" int64 (batch, 14), output "probability" float32 (batch); the batch axis is
                     dynamic; opset 17, the newest Debian's PyTorch 1.13 exports (the `onnx` Python package is
                     not needed);
  reference.json     a fixed set of rows (ids drawn uniformly from 0, the unknown id, to each vocabulary's
                     size, seed 7) and PyTorch's float32 probabilities for them, which OnnxPeer check compares
                     with ONNX Runtime's and the library's.

Usage: /usr/bin/python3 tools/export_onnx.py MODEL_DIR OUT_DIR [--rows N]
(Debian's PyTorch: apt-get install -y python3-torch; /usr/bin/python3, since another python3 on the PATH may
lack it.)
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_pytorch as twin  # noqa: E402  (the twin's module lives beside this script)
from read_safetensors import load as load_safetensors  # noqa: E402

OPSET = 17
REFERENCE_SEED = 7
REFERENCE_FORMAT = "autoint-java onnx peer reference"
REFERENCE_VERSION = 1


class Probabilities(torch.nn.Module):
    """The twin followed by the sigmoid: what the library's Predictor returns with probabilities on."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ids):
        return torch.sigmoid(self.model(ids))


def check_manifest(manifest):
    """Lists every way the saved model differs from the twin's fixed architecture."""
    c, problems = manifest["config"], []
    expected = {"embeddingSize": twin.D, "layers": twin.LAYERS, "heads": twin.HEADS, "headSize": twin.HEAD,
                "residual": True, "scaledAttention": False, "dnnHidden": twin.DNN, "linearTerm": True}
    for key, want in expected.items():
        if c.get(key) != want:
            problems.append(f"config.{key} is {c.get(key)!r}, the twin has {want!r}")
    fields = manifest["fields"]
    vocabularies = [f["vocabularySize"] - 1 for f in fields]  # the library counts id 0 (unknown) in the size
    if vocabularies != twin.VOCABULARIES or any(f["kind"] != "CATEGORICAL" for f in fields):
        problems.append(f"fields {[(f['name'], f['kind'], f['vocabularySize']) for f in fields]} are not the "
                        f"twin's {twin.F} categorical fields with vocabularies {twin.VOCABULARIES} (+1 for id 0)")
    if problems:
        sys.exit("export_onnx: the model is not the seed configuration:\n  " + "\n  ".join(problems))
    return [f["name"] for f in fields]


def twin_state(tensors, names):
    """The twin's state dict from the library's tensors; fails listing every tensor left unused or missing."""
    used = set()

    def take(name):
        if name not in tensors:
            sys.exit(f"export_onnx: the model has no tensor '{name}'")
        used.add(name)
        return torch.from_numpy(np.array(tensors[name], dtype=np.float32))

    state = {
        "embedding.weight": torch.cat([take(f"embedding.{n}") for n in names]),
        "linear.weight": torch.cat([take(f"linear.{n}") for n in names]),
        "out.weight": take("output.weight"),
        "out.bias": take("output.bias"),
    }
    for l in range(twin.LAYERS):
        state[f"proj.{l}.weight"] = torch.cat([take(f"attention.{l}.{w}") for w in ("wq", "wk", "wv", "wres")])
    for i in range(len(twin.DNN)):
        state[f"dnn.{2 * i}.weight"] = take(f"dnn.{i}.weight")
        state[f"dnn.{2 * i}.bias"] = take(f"dnn.{i}.bias")
    unused = sorted(set(tensors) - used)
    if unused:
        sys.exit(f"export_onnx: tensors the twin has no place for: {unused}")
    return state


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--rows", type=int, default=512, help="reference rows (default 512)")
    args = ap.parse_args()

    with open(os.path.join(args.model_dir, "model.json")) as f:
        names = check_manifest(json.load(f))
    tensors, _ = load_safetensors(os.path.join(args.model_dir, "model.safetensors"))
    model = twin.AutoIntPlus()
    model.load_state_dict({**twin_state(tensors, names), "offsets": model.offsets})  # strict: every key
    model.eval()
    wrapped = Probabilities(model).eval()

    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, "autoint_plus.onnx")
    example = torch.ones(2, twin.F, dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(wrapped, (example,), onnx_path, opset_version=OPSET, input_names=["ids"],
                          output_names=["probability"], dynamic_axes={"ids": {0: "batch"}, "probability": {0: "batch"}},
                          do_constant_folding=True)

    g = torch.Generator().manual_seed(REFERENCE_SEED)
    ids = torch.stack([torch.randint(0, v + 1, (args.rows,), generator=g) for v in twin.VOCABULARIES], dim=1)
    with torch.inference_mode():
        p = wrapped(ids)
    reference = {"format": REFERENCE_FORMAT, "version": REFERENCE_VERSION, "torch": torch.__version__,
                 "opset": OPSET, "fields": names, "ids": ids.tolist(),
                 "probabilities": [float(x) for x in p.numpy().astype(np.float32)]}
    with open(os.path.join(args.out_dir, "reference.json"), "w") as f:
        json.dump(reference, f)
    print(f"export_onnx: PyTorch {torch.__version__}, opset {OPSET}: wrote {onnx_path} "
          f"({os.path.getsize(onnx_path):,} bytes) and reference.json ({args.rows} rows, probabilities "
          f"{float(p.min()):.4f} .. {float(p.max()):.4f})")


if __name__ == "__main__":
    main()
