#!/usr/bin/python3
"""Writes the fuzzers' seed corpora: tiny valid ONNX models covering the
loader's paths and the core ops (corpus/model/), and tiny images in the
formats the classifier preprocessing accepts: JPEG, PNG, BMP (corpus/image/). The outputs are committed; rerun only
to change them.

Needs Debian's python3-onnx, python3-numpy and python3-pil:
    /usr/bin/python3 tests/fuzz/make_seeds.py
At fuzzing time scripts/fuzz.sh adds the small real files from ../shared/testdata.
"""
import io
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def weights(name, *shape):
    return numpy_helper.from_array(rng.uniform(-0.5, 0.5, shape).astype(np.float32), name)


def model(nodes, inputs, outputs, inits=(), opset=17, ir=8, **kw):
    g = helper.make_graph(nodes, "seed", inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="cnnrt-seeds", **kw)
    m.ir_version = ir
    return m


def inp(name, shape, t=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, t, shape)


def out(name):
    vi = onnx.ValueInfoProto()
    vi.name = name
    return vi


def models():
    n = helper.make_node
    yield "relu", model([n("Relu", ["x"], ["y"])], [inp("x", [1, 4])], [out("y")])
    yield "tiny_cnn", model(
        [n("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), n("Relu", ["c"], ["r"]),
         n("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]), n("Flatten", ["p"], ["f"]),
         n("Gemm", ["f", "wf", "bf"], ["l"], transB=1), n("Softmax", ["l"], ["y"])],
        [inp("x", [1, 1, 6, 6])], [out("y")],
        [weights("w", 2, 1, 3, 3), weights("b", 2), weights("wf", 3, 18), weights("bf", 3)], opset=13)
    yield "conv_group_same", model(
        [n("Conv", ["x", "w"], ["y"], group=2, strides=[2, 1], dilations=[1, 2], auto_pad="SAME_UPPER")],
        [inp("x", [1, 4, 5, 7])], [out("y")], [weights("w", 4, 2, 3, 3)], opset=11)
    yield "conv1d_valid", model([n("Conv", ["x", "w"], ["y"], auto_pad="VALID", kernel_shape=[3])],
                                [inp("x", [2, 2, 9])], [out("y")], [weights("w", 3, 2, 3)], opset=7)
    yield "conv3d", model([n("Conv", ["x", "w", "b"], ["y"], pads=[0, 1, 1, 0, 1, 1])],
                          [inp("x", [1, 1, 3, 4, 4])], [out("y")], [weights("w", 2, 1, 2, 3, 3), weights("b", 2)])
    yield "gemm_opset6", model([n("Gemm", ["a", "b", "c"], ["y"], transA=1, alpha=0.5, beta=2.0, broadcast=1)],
                               [inp("a", [3, 2])], [out("y")], [weights("b", 3, 4), weights("c", 4)], opset=6)
    yield "gemm_no_c", model([n("Gemm", ["a", "b"], ["y"], transB=1)], [inp("a", [2, 3])], [out("y")],
                             [weights("b", 5, 3)], opset=13)
    yield "softmax_axis", model([n("Softmax", ["x"], ["y"], axis=2)], [inp("x", [2, 3, 4])], [out("y")], opset=11)
    yield "maxpool_ceil_1d", model(
        [n("MaxPool", ["x"], ["y"], kernel_shape=[3], strides=[2], ceil_mode=1, pads=[1, 0], dilations=[1])],
        [inp("x", [1, 2, 10])], [out("y")], opset=12)
    yield "constant_fold", model(
        [n("Constant", [], ["k"], value=weights("kv", 4, 2)), n("Constant", [], ["s"], value_floats=[1.0, 2.0]),
         n("Gemm", ["x", "k", "s"], ["y"])], [inp("x", [1, 4])], [out("y")], opset=13)
    yield "symbolic_batch", model([n("Flatten", ["x"], ["f"], axis=-2), n("Relu", ["f"], ["y"])],
                                  [inp("x", ["N", 3, 2])], [out("y")], opset=13)
    m = model([n("Conv", ["x", "w"], ["y"])], [inp("x", [1, 1, 3, 3]), inp("w", [1, 1, 2, 2])], [out("y")],
              [weights("w", 1, 1, 2, 2)], opset=7, ir=3)
    yield "ir3_initializer_inputs", m
    two = model([n("Relu", ["a"], ["y1"]), n("Softmax", ["b"], ["y2"]), n("Relu", ["y1"], ["y3"])],
                [inp("a", [2, 2]), inp("b", [1, 5])], [out("y2"), out("y3")])
    helper.set_model_props(two, {"author": "cnnrt", "labels": "a,b"})
    yield "two_in_two_out", two
    ext = model([n("Gemm", ["x", "w"], ["y"])], [inp("x", [1, 2])], [out("y")])
    t = onnx.TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 2], data_location=TensorProto.EXTERNAL)
    for k, v in (("location", "w.bin"), ("offset", "0"), ("length", "16")):
        t.external_data.add(key=k, value=v)
    ext.graph.initializer.append(t)
    yield "external_data", ext
    typed = model([n("Gemm", ["x", "w"], ["y"])], [inp("x", [1, 2])], [out("y")])
    typed.graph.initializer.append(helper.make_tensor("w", TensorProto.FLOAT, [2, 3], [1, 2, 3, 4, 5, 6]))
    yield "typed_float_data", typed


def images():
    g = np.arange(48, dtype=np.uint8).reshape(6, 8) * 5
    rgb = np.stack([g, 255 - g, g // 2], axis=-1)
    rgba = np.concatenate([rgb, np.full((6, 8, 1), 200, np.uint8)], axis=-1)
    def save(img, fmt, **kw):
        b = io.BytesIO()
        img.save(b, fmt, **kw)
        return b.getvalue()
    yield "rgb.png", save(Image.fromarray(rgb), "PNG")
    yield "gray.png", save(Image.fromarray(g), "PNG")
    yield "rgba.png", save(Image.fromarray(rgba), "PNG")
    yield "palette.png", save(Image.fromarray(rgb).convert("P"), "PNG")
    yield "gray16.png", save(Image.fromarray(g.astype(np.uint16) * 250), "PNG")
    yield "optimized.png", save(Image.fromarray(rgb), "PNG", optimize=True)
    yield "baseline.jpg", save(Image.fromarray(rgb), "JPEG", quality=80)
    yield "progressive.jpg", save(Image.fromarray(rgb), "JPEG", quality=60, progressive=True)
    yield "gray.jpg", save(Image.fromarray(g), "JPEG")
    yield "rgb.bmp", save(Image.fromarray(rgb), "BMP")
    yield "palette.bmp", save(Image.fromarray(rgb).convert("P"), "BMP")
    yield "rgba.bmp", save(Image.fromarray(rgba), "BMP")


def main():
    for sub in ("model", "image"):
        os.makedirs(os.path.join(HERE, "corpus", sub), exist_ok=True)
    for name, m in models():
        with open(os.path.join(HERE, "corpus", "model", name + ".onnx"), "wb") as f:
            f.write(m.SerializeToString())
    for name, data in images():
        with open(os.path.join(HERE, "corpus", "image", name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
