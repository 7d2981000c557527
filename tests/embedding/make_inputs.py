#!/usr/bin/env python3
"""Turns sample PNGs into the embedded model's input tensors (.pb
TensorProto files), preprocessed as the model's `cnnrt.preprocessing`
metadata says, so the embedding tests' C program (which has no image
decoder) can classify real images.

    make_inputs.py MODEL OUT_DIR IMAGE...   writes OUT_DIR/<image stem>.pb
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from PIL import Image


def main():
    model_path, out_dir, images = sys.argv[1], sys.argv[2], sys.argv[3:]
    model = onnx.load(model_path, load_external_data=False)
    meta = {p.key: p.value for p in model.metadata_props}
    pre = json.loads(meta["cnnrt.preprocessing"])
    if pre.get("color") != "gray" or pre.get("layout", "NCHW") != "NCHW" or pre.get("resize") != "stretch":
        sys.exit(f"make_inputs.py: only gray NCHW stretched inputs are handled, the model asks {pre}")
    h, w = pre["size"]
    lo, hi = pre["range"]
    mean, std = pre["mean"][0], pre["std"][0]
    os.makedirs(out_dir, exist_ok=True)
    for path in images:
        img = Image.open(path).convert("L")
        if img.size != (w, h):
            sys.exit(f"make_inputs.py: {path} is {img.size}, the samples are already {w}x{h}")
        x = np.asarray(img, dtype=np.float32) / 255.0 * (hi - lo) + lo
        x = ((x - mean) / std).astype(np.float32).reshape(1, 1, h, w)
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out_dir, name + ".pb"), "wb") as f:
            f.write(numpy_helper.from_array(x, model.graph.input[0].name).SerializeToString())


if __name__ == "__main__":
    main()
