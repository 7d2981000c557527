// Shared by test_max.cpp, test_min.cpp, test_mean.cpp and test_sum.cpp, the
// variadic elementwise ops (ops/common/binary.cpp's infer_variadic and
// lower_variadic): a naive reference over one to four inputs under numpy
// broadcasting, the cases every one of them must pass (equal shapes at every
// opset, broadcasting from opset 8, Conv outputs in their own layout) and the
// errors they share. Each test file names its fold and adds its own cases.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/elementwise.h"

namespace cnnrt::test {

struct VariadicOp {
  std::string name;  // "Max"
  // The op on the inputs' values at one output element, in input order.
  std::function<double(const std::vector<double>&)> fold;
  bool integers = false;  // integer inputs are supported (else refused)
};

// The reference: each output element folds the inputs' broadcast values.
inline std::vector<float> reference_variadic(const VariadicOp& op, const std::vector<std::vector<float>>& in,
                                             const std::vector<Dims>& dims, const Dims& out) {
  std::vector<float> y(element_count(out));
  std::vector<double> at(in.size());
  for (size_t i = 0; i < y.size(); ++i) {
    for (size_t k = 0; k < in.size(); ++k) at[k] = in[k][broadcast_offset(dims[k], out, i)];
    y[i] = static_cast<float>(op.fold(at));
  }
  return y;
}

// Random inputs of the given shapes through one node at `opset`.
inline void check_variadic(const VariadicOp& op, int opset, const std::vector<Dims>& dims) {
  CAPTURE(opset);
  CAPTURE(dims.size());
  std::vector<HostTensor> in;
  std::vector<std::vector<float>> values;
  Dims out;
  for (size_t k = 0; k < dims.size(); ++k) {
    values.push_back(random_floats(element_count(dims[k]), static_cast<uint32_t>(k + 3), -4, 4));
    in.push_back(HostTensor::floats("in" + std::to_string(k), dims[k], values.back()));
    out = k == 0 ? dims[0] : broadcast_dims(out, dims[k]);
  }
  const RunResult r = run_model(one_node_model(op.name, opset, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == out);
  const auto want = reference_variadic(op, values, dims, out);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 1e-6) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 1e-6));
}

// One to four inputs of one shape (and scalars) at every opset.
inline void check_variadic_equal_shapes(const VariadicOp& op) {
  for (int opset : {1, 6, 8, 13})
    for (size_t n = 1; n <= 4; ++n) {
      check_variadic(op, opset, std::vector<Dims>(n, Dims{2, 3, 5}));
      check_variadic(op, opset, std::vector<Dims>(n, Dims{}));
    }
}

// Every broadcast pattern of two inputs, and three or four inputs where no
// input or not the first has the output's shape, from opset 8.
inline void check_variadic_broadcasts(const VariadicOp& op) {
  for (int opset : {8, 13}) {
    for (const auto& c : broadcast_cases()) check_variadic(op, opset, {c.first, c.second});
    check_variadic(op, opset, {{3, 1}, {1, 4}, {2, 1, 1}});   // no input has the output's shape
    check_variadic(op, opset, {{5}, {2, 3, 5}, {3, 1}, {}});  // the full-shape input is not first
    check_variadic(op, opset, {{2, 3, 5}, {2, 3, 5}, {5}});   // equal shapes and a broadcast one
  }
}

// Three 1x1 Convs of one input feed the op, which reads them in the layout
// the Convs chose.
inline void check_variadic_of_conv_outputs(const VariadicOp& op) {
  const Dims xd = {1, 16, 5, 7};
  const auto x = random_floats(element_count(xd), 1, -1, 1);
  ModelBuilder mb(13);
  mb.input("x", xd);
  std::vector<std::vector<float>> w;
  std::vector<std::string> names;
  for (int k = 0; k < 3; ++k) {
    w.push_back(random_floats(16 * 16, static_cast<uint32_t>(10 + k), -0.5f, 0.5f));
    mb.initializer("w" + std::to_string(k), {16, 16, 1, 1}, w.back());
    mb.node("Conv", {"x", "w" + std::to_string(k)}, {"c" + std::to_string(k)});
    names.push_back("c" + std::to_string(k));
  }
  mb.node(op.name, names, {"y"}).output("y");
  std::vector<std::vector<float>> convs;
  for (int k = 0; k < 3; ++k) {
    const auto conv = conv1x1_reference(xd, x, w[k], 16);
    convs.emplace_back(conv.begin(), conv.end());  // rounded to float, as the Conv writes it
  }
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const auto want = reference_variadic(op, convs, {xd, xd, xd}, xd);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
}

// The errors of infer_variadic, one SUBCASE each.
inline void run_variadic_errors(const VariadicOp& op) {
  const std::string prefix = "<memory>: node 'node' (" + op.name + ", domain ai.onnx, opset ";
  SUBCASE("opsets before 8 do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model(op.name, 6, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "6): before opset 8 the inputs must have one shape, got [2,3] and [3]");
  }
  SUBCASE("inputs of different types") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::ints("b", {2}, {})};
    const RunResult r = load_model(one_node_model(op.name, 13, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): input 1 has element type int64, input 0 float");
  }
  SUBCASE("no inputs") {
    const RunResult r = load_model(one_node_model(op.name, 13, {}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): expects at least one input");
  }
  if (!op.integers) {
    SUBCASE("integer inputs") {
      const std::vector<HostTensor> in = {HostTensor::ints("a", {2}, {}), HostTensor::ints("b", {2}, {})};
      const RunResult r = load_model(one_node_model(op.name, 13, in));
      CHECK(r.status == CNNRT_UNSUPPORTED);
      CHECK(r.error == prefix + "13): input 0 has element type int64; supported: float");
    }
  }
}

}  // namespace cnnrt::test
