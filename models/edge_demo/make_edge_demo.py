#!/usr/bin/python3
"""Makes the feature-map demo: the tutorial's first CNN stages as an ONNX
graph, and the grayscale photo it is shown on.

    /usr/bin/python3 models/edge_demo/make_edge_demo.py

Writes next to this script:

    edge_detector.onnx  image [1,1,H,W] -> Conv (3x3 Laplacian edge kernel
                        [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]], SAME zero padding,
                        no bias) -> Relu -> MaxPool 2x2 stride 2. H and W are
                        symbolic, so any image size runs. Preprocessing in
                        metadata: gray, pixels scaled to 0..1.
    cat_gray.png        the sample photo: ../shared/testdata/images/cat.jpg
                        (MIT, Microsoft Windows-Machine-Learning samples; see
                        PROVENANCE.md) converted to 8-bit gray (PIL "L":
                        0.299 R + 0.587 G + 0.114 B) and resized to 256x256
                        with PIL's LANCZOS filter.

The three feature maps in output/ come from tools/cnnrt-features (see
README.md), not from this script.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_IMAGE = os.path.join(HERE, "..", "..", "..", "shared", "testdata", "images", "cat.jpg")

LAPLACIAN = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=np.float32).reshape(1, 1, 3, 3)


def make_model():
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, "H", "W"])
    pooled = helper.make_tensor_value_info("max_pool", TensorProto.FLOAT, [1, 1, None, None])
    kernel = numpy_helper.from_array(LAPLACIAN, "laplacian_kernel")
    nodes = [
        # SAME padding for a 3x3 kernel at stride 1 is one zero row/column on
        # every side; explicit pads say exactly that.
        helper.make_node("Conv", ["image", "laplacian_kernel"], ["laplacian_conv"], name="laplacian_conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["laplacian_conv"], ["relu"], name="relu"),
        helper.make_node("MaxPool", ["relu"], ["max_pool"], name="max_pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
    ]
    graph = helper.make_graph(nodes, "edge_detector", [image], [pooled], [kernel])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="cnnrt models/edge_demo/make_edge_demo.py")
    model.ir_version = 8
    model.doc_string = ("The tutorial's first CNN stages: a 3x3 Laplacian edge kernel with SAME padding, "
                        "ReLU, 2x2 max pooling with stride 2")
    entry = model.metadata_props.add()
    entry.key = "cnnrt.preprocessing"
    entry.value = json.dumps({"layout": "NCHW", "color": "gray", "range": [0, 1]})
    onnx.checker.check_model(model)
    return model


def main():
    onnx.save(make_model(), os.path.join(HERE, "edge_detector.onnx"))
    photo = Image.open(SOURCE_IMAGE).convert("L").resize((256, 256), Image.LANCZOS)
    photo.save(os.path.join(HERE, "cat_gray.png"), optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
