#!/usr/bin/python3
"""Writes the malformed models of tests/bad_models into OUT_DIR, with
OUT_DIR/manifest.tsv listing, per case: name, model path (relative to
OUT_DIR), the status cnnrt must give, and a part of the message that names
the problem. Run by CMake at configure time (Debian's python3-onnx):

    /usr/bin/python3 make_bad_models.py OUT_DIR

Each case breaks one thing in an otherwise valid model. External-data cases
get a folder of their own, with a correctly sized file placed outside it, so
that only the loader's guard stands between the model and the file.
"""
import os
import random
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
cases = []  # (name, relative path, status, message part)


def weights(name, *shape, seed=1):
    rng = np.random.default_rng(seed)
    return numpy_helper.from_array(rng.uniform(-0.5, 0.5, shape).astype(np.float32), name)


def inp(name, shape, t=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, t, shape)


def out(name):
    vi = onnx.ValueInfoProto()
    vi.name = name
    return vi


def model(nodes, inputs, outputs, inits=(), opset=17, ir=8, extra_opsets=()):
    g = helper.make_graph(nodes, "bad", inputs, outputs, list(inits))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(g, opset_imports=opsets, producer_name="cnnrt-bad-models")
    m.ir_version = ir
    return m


def relu_model(**kw):
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")], [inp("x", [1, 4])], [out("y")], **kw)


def conv_model(x_shape=(1, 3, 8, 8), w_shape=(4, 3, 3, 3), **attrs):
    return model([helper.make_node("Conv", ["x", "w"], ["y"], name="conv", **attrs)], [inp("x", list(x_shape))],
                 [out("y")], [weights("w", *w_shape)])


def write_bytes(name, data, status, part, folder=None):
    rel = os.path.join(folder, "model.onnx") if folder else name + ".onnx"
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    cases.append((name, rel, status, part))


def write(name, m, status, part, folder=None):
    write_bytes(name, m.SerializeToString(), status, part, folder)


def declared(name, dims, dtype=TensorProto.FLOAT):
    t = onnx.TensorProto(name=name, data_type=dtype)
    t.dims.extend(dims)
    return t


def with_initializer(t):
    m = relu_model()
    m.graph.initializer.append(t)
    return m


def external(location, **extra):
    m = model([helper.make_node("Gemm", ["x", "w"], ["y"], name="gemm")], [inp("x", [1, 2])], [out("y")])
    t = onnx.TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 2], data_location=TensorProto.EXTERNAL)
    t.external_data.add(key="location", value=location)
    for k, v in extra.items():
        t.external_data.add(key=k, value=v)
    m.graph.initializer.append(t)
    return m


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    valid = conv_model().SerializeToString()
    n = helper.make_node

    # Bytes that are not a model.
    write_bytes("truncated_half", valid[: len(valid) // 2], "CNNRT_INVALID_MODEL", "not a valid ONNX model")
    write_bytes("truncated_tail", valid[:-3], "CNNRT_INVALID_MODEL", "not a valid ONNX model")
    rnd = random.Random(1234)
    write_bytes("random_bytes", bytes(rnd.randrange(256) for _ in range(4096)), "CNNRT_INVALID_MODEL",
                "not a valid ONNX model")
    write_bytes("empty_file", b"", "CNNRT_INVALID_MODEL", "the model has no graph")
    m = relu_model()
    m.ClearField("graph")
    write("no_graph", m, "CNNRT_INVALID_MODEL", "the model has no graph")
    m = relu_model()
    m.ir_version = 0
    write("ir_version_0", m, "CNNRT_INVALID_MODEL", "no ir_version")

    # Dimensions.
    write("zero_dims_input", conv_model(x_shape=(1, 3, 0, 0)), "CNNRT_INVALID_MODEL", "larger than the padded input")
    m = relu_model()
    m.graph.input[0].type.tensor_type.shape.dim[1].dim_value = -4
    write("negative_dim_input", m, "CNNRT_INVALID_MODEL", "negative dimension -4")
    write("huge_dims_input", model([n("Relu", ["x"], ["y"])], [inp("x", [1000000, 1000000])], [out("y")]),
          "CNNRT_OUT_OF_MEMORY", "8 GiB limit")
    write("huge_initializer_1e12", with_initializer(declared("big", [1000000, 1000000])), "CNNRT_OUT_OF_MEMORY",
          "8 GiB limit")
    t = declared("big", [512, 1024, 1024])
    t.raw_data = b"abcd"
    write("initializer_2gib_declared_4_bytes_given", with_initializer(t), "CNNRT_INVALID_MODEL",
          "raw_data has 4 bytes")
    write("element_count_overflow", with_initializer(declared("w", [1 << 32, 1 << 32, 4])), "CNNRT_OUT_OF_MEMORY",
          "overflows")
    write("negative_dim_initializer", with_initializer(declared("w", [3, -2])), "CNNRT_INVALID_MODEL",
          "negative dimension")
    write("absurd_dim_in_empty_tensor", with_initializer(declared("w", [0, 1 << 62])), "CNNRT_OUT_OF_MEMORY",
          "is too large")

    # Initializers whose data does not match their shape or type.
    t = declared("w", [2, 3])
    t.raw_data = np.zeros(5, np.float32).tobytes()
    write("initializer_raw_size_mismatch", with_initializer(t), "CNNRT_INVALID_MODEL", "raw_data has 20 bytes")
    t = declared("w", [2, 3])
    t.float_data.extend([1.0] * 7)
    write("initializer_typed_count_mismatch", with_initializer(t), "CNNRT_INVALID_MODEL", "float_data holds 7 values")
    t = declared("w", [1], TensorProto.STRING)
    t.string_data.append(b"hello")
    write("initializer_string", with_initializer(t), "CNNRT_UNSUPPORTED", "element type string")
    t = declared("w", [2], 99)
    write("initializer_unknown_dtype", with_initializer(t), "CNNRT_UNSUPPORTED", "is not supported")
    t = declared("", [1])
    t.float_data.append(1.0)
    write("initializer_without_name", with_initializer(t), "CNNRT_INVALID_MODEL", "an initializer has no name")
    m = relu_model()
    m.graph.initializer.extend([weights("w", 2), weights("w", 2)])
    write("initializer_twice", m, "CNNRT_INVALID_MODEL", "initializer 'w' is defined twice")

    # Types.
    write("wrong_dtype_input", model([n("Relu", ["x"], ["y"], name="relu")], [inp("x", [1, 4], TensorProto.INT64)],
                                     [out("y")]), "CNNRT_UNSUPPORTED", "has element type int64")
    write("conv_float16_weight", model([n("Conv", ["x", "w"], ["y"])], [inp("x", [1, 1, 4, 4])], [out("y")],
                                       [numpy_helper.from_array(np.ones((1, 1, 3, 3), np.float16), "w")]),
          "CNNRT_UNSUPPORTED", "has element type float16")
    m = relu_model()
    m.graph.input[0].type.tensor_type.ClearField("shape")
    write("input_without_shape", m, "CNNRT_UNSUPPORTED", "declares no shape")
    m = relu_model()
    m.graph.input[0].type.ClearField("tensor_type")
    m.graph.input[0].type.sequence_type.elem_type.tensor_type.elem_type = TensorProto.FLOAT
    write("input_is_a_sequence", m, "CNNRT_UNSUPPORTED", "is not a tensor")

    # Graph structure.
    write("cycle", model([n("Relu", ["b"], ["a"], name="first"), n("Relu", ["a"], ["b"], name="second"),
                          n("Relu", ["x"], ["y"])], [inp("x", [1, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "cycle through node 'first'")
    write("self_loop", model([n("Relu", ["y"], ["y"], name="self")], [inp("x", [1, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "cycle through node 'self'")
    write("dangling_input", model([n("Relu", ["nothing"], ["y"], name="relu")], [inp("x", [1, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "input 0 'nothing' is not produced by any node")
    write("dangling_graph_output", model([n("Relu", ["x"], ["y"])], [inp("x", [1, 4])], [out("y"), out("ghost")]),
          "CNNRT_INVALID_MODEL", "graph output 'ghost' is not produced")
    write("duplicate_node_output", model([n("Relu", ["x"], ["y"], name="a"), n("Relu", ["x"], ["y"], name="b")],
                                         [inp("x", [1, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "outputs must be unique")
    write("duplicate_graph_output", model([n("Relu", ["x"], ["y"])], [inp("x", [1, 4])], [out("y"), out("y")]),
          "CNNRT_INVALID_MODEL", "graph output 'y' is listed twice")
    write("duplicate_graph_input", model([n("Relu", ["x"], ["y"])], [inp("x", [1, 4]), inp("x", [1, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "graph input 'x' is listed twice")
    write("no_graph_outputs", model([n("Relu", ["x"], ["y"])], [inp("x", [1, 4])], []),
          "CNNRT_INVALID_MODEL", "the graph has no outputs")
    write("missing_required_input", model([n("Conv", ["x"], ["y"], name="conv")], [inp("x", [1, 1, 4, 4])],
                                          [out("y")]), "CNNRT_INVALID_MODEL", "expects 2 to 3 inputs, got 1")

    # Opsets, domains, operators.
    write("opset_999", relu_model(opset=999), "CNNRT_UNSUPPORTED", "opset 999")
    write("opset_0", relu_model(opset=0), "CNNRT_INVALID_MODEL", "has version 0")
    write("opset_1_maxpool_dilations",
          model([n("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], dilations=[2, 2])], [inp("x", [1, 1, 8, 8])],
                [out("y")], opset=1), "CNNRT_INVALID_MODEL", "'dilations' is not valid at this opset")
    write("opset_1_maxpool_ceil_mode",
          model([n("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], ceil_mode=1)], [inp("x", [1, 1, 8, 8])],
                [out("y")], opset=1), "CNNRT_INVALID_MODEL", "'ceil_mode' is not valid at this opset")
    write("unknown_domain_not_imported",
          model([n("Relu", ["x"], ["y"], domain="com.example")], [inp("x", [1, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "which the model does not import")
    write("unknown_domain_imported",
          model([n("Relu", ["x"], ["y"], domain="com.example")], [inp("x", [1, 4])], [out("y")],
                extra_opsets=[("com.example", 1)]), "CNNRT_UNSUPPORTED", "(domain com.example, opset 1)")
    write("unknown_op", model([n("NoSuchOp", ["x"], ["y"])], [inp("x", [1, 4])], [out("y")]),
          "CNNRT_UNSUPPORTED", "unsupported operator 'NoSuchOp'")
    write("empty_op_type", model([n("", ["x"], ["y"])], [inp("x", [1, 4])], [out("y")]),
          "CNNRT_UNSUPPORTED", "unsupported operator ''")

    # Attributes and shapes an op must refuse.
    m = conv_model()
    m.graph.node[0].attribute.append(helper.make_attribute("strides", 2.0))
    write("attribute_wrong_type", m, "CNNRT_INVALID_MODEL", "attribute 'strides' must be of type ints, got float")
    write("conv_weight_channel_mismatch", conv_model(w_shape=(4, 2, 3, 3)), "CNNRT_INVALID_MODEL",
          "the input has 3 channels but the weight [4,2,3,3]")
    write("conv_group_not_dividing", conv_model(w_shape=(3, 1, 3, 3), group=2), "CNNRT_INVALID_MODEL",
          "not divisible by group 2")
    write("conv_kernel_shape_mismatch", conv_model(kernel_shape=[5, 5]), "CNNRT_INVALID_MODEL",
          "does not match the weights' spatial shape")
    write("conv_huge_pads", conv_model(pads=[0, 0, 0, 33554430]), "CNNRT_UNSUPPORTED", "over the padding")
    write("conv_bad_auto_pad", conv_model(auto_pad="SIDEWAYS"), "CNNRT_INVALID_MODEL", "auto_pad 'SIDEWAYS'")
    write("conv_zero_stride", conv_model(strides=[0, 1]), "CNNRT_INVALID_MODEL", "must be positive")
    write("conv_rank_2_input", conv_model(x_shape=(3, 8), w_shape=(4, 3)), "CNNRT_INVALID_MODEL", "must have rank 3 to 5")
    write("maxpool_kernel_larger_than_input",
          model([n("MaxPool", ["x"], ["y"], kernel_shape=[9, 9])], [inp("x", [1, 1, 4, 4])], [out("y")]),
          "CNNRT_INVALID_MODEL", "larger than the padded input")
    write("gemm_inner_mismatch", model([n("Gemm", ["a", "b"], ["y"])], [inp("a", [2, 3])], [out("y")],
                                       [weights("b", 4, 5)]), "CNNRT_INVALID_MODEL", "A [2,3]")
    write("softmax_axis_out_of_range",
          model([n("Softmax", ["x"], ["y"], axis=5)], [inp("x", [2, 3])], [out("y")], opset=13),
          "CNNRT_INVALID_MODEL", "axis 5 is out of range for rank 2")
    write("constant_without_value", model([n("Constant", [], ["c"]), n("Gemm", ["x", "c"], ["y"])],
                                          [inp("x", [1, 2])], [out("y")]),
          "CNNRT_INVALID_MODEL", "exactly one value attribute")

    # External data: never read outside the model's folder, never block.
    with open(os.path.join(OUT, "secret.bin"), "wb") as f:
        f.write(np.arange(4, dtype=np.float32).tobytes())  # the right size for w [2,2]
    write("external_dotdot", external("../secret.bin"), "CNNRT_INVALID_MODEL", "leaves the model's folder",
          folder="external_dotdot")
    write("external_nested_dotdot", external("sub/../../secret.bin"), "CNNRT_INVALID_MODEL",
          "leaves the model's folder", folder="external_nested_dotdot")
    write("external_absolute", external(os.path.abspath(os.path.join(OUT, "secret.bin"))), "CNNRT_INVALID_MODEL",
          "must be a relative path", folder="external_absolute")
    write("external_missing", external("missing.bin"), "CNNRT_IO_ERROR", "cannot be opened",
          folder="external_missing")
    write("external_symlink_out", external("link.bin"), "CNNRT_INVALID_MODEL", "resolves outside the model's folder",
          folder="external_symlink_out")
    os.symlink(os.path.abspath(os.path.join(OUT, "secret.bin")), os.path.join(OUT, "external_symlink_out", "link.bin"))
    write("external_fifo", external("pipe.bin"), "CNNRT_IO_ERROR", "not a regular file", folder="external_fifo")
    os.mkfifo(os.path.join(OUT, "external_fifo", "pipe.bin"))
    write("external_too_short", external("short.bin"), "CNNRT_INVALID_MODEL", "has 8 bytes; offset 0 + 16",
          folder="external_too_short")
    with open(os.path.join(OUT, "external_too_short", "short.bin"), "wb") as f:
        f.write(b"\0" * 8)
    write("external_bad_offset", external("w.bin", offset="-5"), "CNNRT_INVALID_MODEL", "is not a valid size",
          folder="external_bad_offset")
    with open(os.path.join(OUT, "external_bad_offset", "w.bin"), "wb") as f:
        f.write(b"\0" * 16)

    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        for c in cases:
            f.write("\t".join(c) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
