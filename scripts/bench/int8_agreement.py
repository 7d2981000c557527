#!/usr/bin/python3
"""Top-1 agreement of cnnrt int8 sessions with cnnrt FP32, never calibrating
on the input being evaluated.

    scripts/bench/int8_agreement.py [--testdata DIR] [--regression DIR MODEL...]

Pretrained models (DIR/pretrained, ../shared/testdata by default):
  squeezenet1.1  its 3 test_data_set inputs plus bald_eagle.jpeg and
                 pelican.jpeg preprocessed as its PROVENANCE.md says (RGB,
                 PIL bilinear 224x224, BGR, 0..255): 5 images;
  mnist-8        its 8 test_data_set inputs (5 of them from images/).
  Leave-one-out: each image is evaluated by a session calibrated on the
  model's other images only.
Regression models (--regression: the folder of <model>-op13/ exports, random
  seeded weights, standard-normal test inputs): the test sets' 4 images
  (batch 1 and batch 3), calibrated on 8 other seeded standard-normal images.

Prints, per model, how many images keep the FP32 top-1 class and the
largest |int8 - fp32| relative to max|fp32| of each output.

Needs python3 with numpy, onnx and PIL (Debian's), and a built cnnrt
(the binding finds build/ of this checkout or $CNNRT_LIBRARY).
"""
import argparse
import glob
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "python"))
import cnnrt  # noqa: E402


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def set_inputs(folder):
    """The input_0.pb of each test_data_set_N, in N order (one-input models)."""
    sets = sorted(glob.glob(os.path.join(folder, "test_data_set_*")), key=lambda p: int(p.rsplit("_", 1)[1]))
    return [read_pb(os.path.join(s, "input_0.pb")) for s in sets]


def squeezenet_image(path):
    img = Image.open(path).convert("RGB").resize((224, 224), Image.BILINEAR)
    x = np.asarray(img, dtype=np.float32)[:, :, ::-1]  # BGR
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def compare(model, fp32, cal, x):
    """(rows whose top-1 is kept, rows, max |int8 - fp32| / max|fp32|) for x."""
    ref = list(fp32.run([x]).values())[0]
    got = list(model.session(threads=1, precision="int8", calibration=[[c] for c in cal]).run([x]).values())[0]
    ref, got = ref.reshape(ref.shape[0], -1), got.reshape(got.shape[0], -1)
    kept = int((ref.argmax(1) == got.argmax(1)).sum())
    return kept, ref.shape[0], float(np.abs(got - ref).max() / np.abs(ref).max())


def leave_one_out(name, path, images):
    model = cnnrt.Model(path)
    fp32 = model.session(threads=1)
    kept = rows = 0
    worst = 0.0
    for i, x in enumerate(images):
        k, n, err = compare(model, fp32, images[:i] + images[i + 1:], x)
        kept, rows, worst = kept + k, rows + n, max(worst, err)
        print("  %s image %d: top-1 %s, max|diff|/max|fp32| %.4f" % (name, i, "kept" if k == n else "CHANGED", err))
    print("%s: top-1 kept on %d/%d images (each calibrated on the other %d), worst max|diff|/max|fp32| %.4f\n"
          % (name, kept, rows, len(images) - 1, worst), flush=True)


def regression(folder, name):
    path = os.path.join(folder, name + "-op13")
    model = cnnrt.Model(os.path.join(path, "model.onnx"))
    fp32 = model.session(threads=1)
    evals = set_inputs(path)
    rng = np.random.default_rng(20261125)
    cal = [rng.standard_normal((1,) + evals[0].shape[1:], dtype=np.float32) for _ in range(8)]
    kept = rows = 0
    worst = 0.0
    for x in evals:
        k, n, err = compare(model, fp32, cal, x)
        kept, rows, worst = kept + k, rows + n, max(worst, err)
    print("%s (random weights): top-1 kept on %d/%d test images (calibrated on 8 other standard-normal images), "
          "worst max|diff|/max|fp32| %.4f" % (name, kept, rows, worst), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--testdata", default=os.path.join(ROOT, "..", "shared", "testdata"))
    ap.add_argument("--regression", nargs="+", metavar=("DIR", "MODEL"),
                    help="the regression suite's export folder, then model names (resnet50 ...)")
    a = ap.parse_args()
    pre = os.path.join(a.testdata, "pretrained")
    sq = os.path.join(pre, "squeezenet1.1")
    images = set_inputs(sq) + [squeezenet_image(os.path.join(a.testdata, "images", f))
                               for f in ("bald_eagle.jpeg", "pelican.jpeg")]
    leave_one_out("squeezenet1.1", os.path.join(sq, "model.onnx"), images)
    mn = os.path.join(pre, "mnist-8")
    leave_one_out("mnist-8", os.path.join(mn, "model.onnx"), set_inputs(mn))
    if a.regression:
        for name in a.regression[1:]:
            regression(a.regression[0], name)


if __name__ == "__main__":
    main()
