"""Checks the exported regression models with a peer runtime, ONNX Runtime.

    python3 models/regression/check_onnxruntime.py build/regression

(`python3` with pip's onnxruntime, not a dependency of cnnrt or of its tests.)
If ONNX Runtime also misses PyTorch's outputs by more than the suite's
tolerance, the export or the reference is at fault, not cnnrt. Prints, per
folder and test set, max|error| / max|reference| and whether the top-k
outputs agree (k from the export's meta.json: 5 classes, or 1 for a dense
prediction); exits 1 if any is beyond 1e-4 or any top-k differs.
"""
import glob
import json
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime as ort

TOLERANCE = 1e-4


def read(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return onnx.numpy_helper.to_array(t)


def topk(rows, k):
    return [list(np.argsort(-r, kind="stable")[:k]) for r in rows.reshape(rows.shape[0], -1)]


def checked_k(folder):
    """The k the suite checks (exporter.checked_k), 5 for an older export."""
    try:
        with open(os.path.join(folder, "meta.json")) as f:
            return int(json.load(f).get("topk", 5))
    except (OSError, ValueError):
        return 5


def main():
    ok = True
    for folder in sorted(glob.glob(os.path.join(sys.argv[1], "*-op*"))):
        if folder.endswith(".tmp") or not os.path.exists(os.path.join(folder, "model.onnx")):
            continue
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = ort.InferenceSession(os.path.join(folder, "model.onnx"), options,
                                       providers=["CPUExecutionProvider"])
        k = checked_k(folder)
        line = []
        for test_set in sorted(glob.glob(os.path.join(folder, "test_data_set_*"))):
            x, want = read(os.path.join(test_set, "input_0.pb")), read(os.path.join(test_set, "output_0.pb"))
            got = session.run(None, {session.get_inputs()[0].name: x})[0]
            err = float(np.abs(got - want).max() / np.abs(want).max())
            same = topk(got, k) == topk(want, k)
            ok = ok and err <= TOLERANCE and same
            line.append(f"batch {x.shape[0]}: {err:.2e} top-{k} {'same' if same else 'DIFFER'}")
        print(f"{os.path.basename(folder):26s} " + "  ".join(line), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
