#!/usr/bin/env python3
"""Open an autoint-java model.safetensors with numpy alone and print each tensor's name, shape and norm.

Usage: python3 tools/read_safetensors.py MODEL_DIR/model.safetensors
"""
import json
import struct
import sys

import numpy as np


def load(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", name
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
    return tensors, meta


if __name__ == "__main__":
    tensors, meta = load(sys.argv[1])
    print("metadata:", meta)
    for name, t in tensors.items():
        print(f"{name:40s} {str(list(t.shape)):14s} norm={float(np.linalg.norm(t)):.6f}")
