#!/usr/bin/python3
"""Writes the small ONNX models the CLI tests need into a folder:

  not_an_image.onnx   x [1,10] -> Gemm -> [1,3]: a model whose input is no image
  logits.onnx         the embedded Fashion-MNIST model without its final
                      Softmax (outputs logits), metadata kept
  no_metadata.onnx    the embedded model with its metadata_props removed
  identity_rgb.onnx   x [1,3,H,W] -> Relu: for checking preprocessed pixels
                      (Relu is the identity on the non-negative inputs used)

    make_test_models.py SOURCE_DIR OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def not_an_image():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 10])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])
    w = numpy_helper.from_array(np.ones((10, 3), np.float32), "w")
    graph = helper.make_graph([helper.make_node("Gemm", ["x", "w"], ["y"], name="gemm")], "g", [x], [y], [w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def logits(embedded):
    m = onnx.ModelProto()
    m.CopyFrom(embedded)
    last = m.graph.node[-1]
    assert last.op_type == "Softmax", last.op_type
    m.graph.output[0].name = last.input[0]
    del m.graph.node[-1]
    return m


def no_metadata(embedded):
    m = onnx.ModelProto()
    m.CopyFrom(embedded)
    del m.metadata_props[:]
    return m


def identity_rgb():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "H", "W"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, "H", "W"])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="relu")], "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    embedded = onnx.load(os.path.join(source, "models", "fashion_mnist", "fashion_mnist_cnn.onnx"))
    models = {
        "not_an_image.onnx": not_an_image(),
        "logits.onnx": logits(embedded),
        "no_metadata.onnx": no_metadata(embedded),
        "identity_rgb.onnx": identity_rgb(),
    }
    for name, model in models.items():
        model.ir_version = min(model.ir_version, 8)
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
