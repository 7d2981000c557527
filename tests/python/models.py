"""Small ONNX models for the binding tests, built with the onnx package
(Debian python3-onnx), and numpy references to check them against."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def small_cnn(seed=0, channels=3, side=12, classes=5):
    """x [N,3,12,12] -> Conv 3x3 pad 1 -> Relu -> MaxPool 2x2 -> Flatten -> Gemm -> Softmax -> probs [N,5].
    Returns (model bytes, weights dict) so a reference can recompute it."""
    rng = np.random.default_rng(seed)
    w = {
        "conv_w": rng.uniform(-1, 1, (4, channels, 3, 3)).astype(np.float32),
        "conv_b": rng.uniform(-1, 1, (4,)).astype(np.float32),
        "fc_w": rng.uniform(-0.2, 0.2, (classes, 4 * (side // 2) ** 2)).astype(np.float32),
        "fc_b": rng.uniform(-1, 1, (classes,)).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "conv_w", "conv_b"], ["conv"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"], name="relu"),
        helper.make_node("MaxPool", ["relu"], ["pool"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pool"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], name="softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "small_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", channels, side, side])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", classes])],
        [numpy_helper.from_array(v, k) for k, v in w.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="cnnrt-tests")
    model.ir_version = 8
    helper.set_model_props(model, {"labels": "a,b,c,d,e"})
    return model.SerializeToString(), w


def small_cnn_reference(x, w):
    """The same network in float64 numpy: (pool, probs)."""
    x = x.astype(np.float64)
    n, c, h, wd = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))  # n,c,h,w,3,3
    conv = np.einsum("nchwij,mcij->nmhw", windows, w["conv_w"].astype(np.float64)) + w["conv_b"][None, :, None, None]
    relu = np.maximum(conv, 0)
    pool = relu.reshape(n, relu.shape[1], h // 2, 2, wd // 2, 2).max(axis=(3, 5))
    logits = pool.reshape(n, -1) @ w["fc_w"].astype(np.float64).T + w["fc_b"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return pool, e / e.sum(axis=1, keepdims=True)


def unsupported_op_model():
    """A valid model whose one node is an operator no build implements."""
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="frob", domain="org.example.never")
    graph = helper.make_graph([node], "unsupported",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid("org.example.never", 1)])
    model.ir_version = 8
    return model.SerializeToString()


def uint8_maxpool_model():
    """y = MaxPool(x) on uint8 [1,1,4,4]: a non-float input and output."""
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2])
    graph = helper.make_graph([node], "u8",
                              [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, 1, 4, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 1, 2, 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    model.ir_version = 8
    return model.SerializeToString()


def lcg_floats(count, seed=12345):
    """cnnrt-run's generated inputs for a bare model: uniform [0,1) floats
    from a 32-bit LCG (tools/cnnrt_run.cpp, run_bare_model)."""
    out = np.empty(count, np.float32)
    for i in range(count):
        seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = np.float32(seed >> 8) / np.float32(16777216.0)
    return out, seed


def save(path, data):
    with open(path, "wb") as f:
        f.write(data)


__all__ = ["numpy_helper", "small_cnn", "small_cnn_reference", "unsupported_op_model", "uint8_maxpool_model", "lcg_floats", "save"]
