// Shared by test_add.cpp, test_sub.cpp, test_mul.cpp and test_div.cpp, the
// arithmetic binary ops (ops/common/binary.cpp): checks against the op's
// reference over every numpy broadcasting pattern and the legacy
// broadcast/axis attributes of opsets 1 and 6, a Relu after the op on two
// Conv outputs, and the errors they share. Each test file names its
// reference and adds its own cases (integer types, fusion, division).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "support/elementwise.h"

namespace cnnrt::test {

struct ArithOp {
  std::string name;  // "Add"
  // The op on float32 operands, in float32 (exact comparison).
  std::function<double(double, double)> ref;
  // B stays away from zero (Div): random B in [0.5, 4) instead of [-3, 3),
  // and the Conv producing B has positive weights and a bias of 10.
  bool b_away_from_zero = false;

  float b_lo() const { return b_away_from_zero ? 0.5f : -3.0f; }
  float b_hi() const { return b_away_from_zero ? 4.0f : 3.0f; }
};

inline void check_arith_broadcasts(const ArithOp& op) {
  for (int opset : {7, 13, 14})
    for (const auto& c : broadcast_cases())
      check_binary(op.name, opset, {}, c.first, c.second, op.ref, -3, 3, op.b_lo(), op.b_hi(), 0, 0);
}

// B broadcast along A's last dim (LayerNorm exported before opset 17:
// x - mean, then / std, with [N, H, W, C] by [N, H, W, 1]), and other
// broadcasts oneDNN's jit kernels do not take: exact results, and no step
// left on oneDNN's reference kernel (which took 27 ms for ConvNeXt's
// [1,56,56,96]).
inline void check_arith_unusual_broadcasts(const ArithOp& op) {
  const std::vector<std::pair<Dims, Dims>> cases = {
      {{1, 14, 14, 96}, {1, 14, 14, 1}}, {{2, 5, 7, 33}, {2, 5, 7, 1}}, {{6, 40}, {6, 1}}, {{3, 8, 9}, {3, 1, 9}}};
  for (const auto& c : cases) {
    CAPTURE(c.first.size());
    CAPTURE(c.second.back());
    check_binary(op.name, 13, {}, c.first, c.second, op.ref, -3, 3, op.b_lo(), op.b_hi(), 0, 0);
    const std::vector<HostTensor> in = {
        HostTensor::floats("a", c.first, random_floats(element_count(c.first), 1)),
        HostTensor::floats("b", c.second, random_floats(element_count(c.second), 2, op.b_lo(), op.b_hi()))};
    RunOptions profiled;
    profiled.profile = true;
    const RunResult r = run_model(one_node_model(op.name, 13, in), in, profiled);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    for (size_t i = 0; i < r.step_impls.size(); ++i) {
      CAPTURE(r.step_ops[i]);
      CHECK(r.step_impls[i].rfind("ref", 0) != 0);
    }
  }
}

// Before opset 7: equal shapes, or broadcast=1 with B placed at axis (or
// as a suffix of A).
inline void check_arith_legacy(const ArithOp& op) {
  struct Case {
    Dims a, b, b_as;
    std::vector<Attr> attrs;
  };
  const std::vector<Case> cases = {
      {{2, 3, 4, 5}, {2, 3, 4, 5}, {2, 3, 4, 5}, {}},
      {{2, 3, 4, 5}, {4, 5}, {1, 1, 4, 5}, {Attr("broadcast", 1)}},
      {{2, 3, 4, 5}, {3, 4}, {1, 3, 4, 1}, {Attr("broadcast", 1), Attr("axis", 1)}},
      {{2, 3, 4, 5}, {3}, {1, 3, 1, 1}, {Attr("broadcast", 1), Attr("axis", 1)}},
      {{2, 3, 4, 5}, {2}, {2, 1, 1, 1}, {Attr("broadcast", 1), Attr("axis", 0)}},
      {{2, 3, 4, 5}, {5}, {1, 1, 1, 5}, {Attr("broadcast", 1), Attr("axis", -1)}},
      {{2, 3}, {}, {1, 1}, {Attr("broadcast", 1)}},
  };
  for (int opset : {1, 6})
    for (const Case& c : cases)
      check_binary(op.name, opset, c.attrs, c.a, c.b, op.ref, -3, 3, op.b_lo(), op.b_hi(), 0, 0, &c.b_as);
}

// Relu(op(Conv1(x), Conv2(x))) with 1x1 Convs of 16 channels: the model
// ("a" and "b" the Conv outputs, "y" the result), its input and the
// expected output.
struct ConvPair {
  Dims xd = {1, 16, 7, 9};
  std::vector<float> x;
  std::string model;
  std::vector<float> want;

  // Runs the model; the run must succeed and match want.
  RunResult run(const RunOptions& opts) const {
    RunResult r = run_model(model, {HostTensor::floats("x", xd, x)}, opts);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4));
    return r;
  }
};

inline ConvPair conv_pair(const ArithOp& op) {
  ConvPair p;
  p.x = random_floats(element_count(p.xd), 1, -1, 1);
  const float w2_lo = op.b_away_from_zero ? 0.5f : -0.5f, w2_hi = op.b_away_from_zero ? 1.0f : 0.5f;
  const float bias = op.b_away_from_zero ? 10.0f : 0.0f;
  const auto w1 = random_floats(16 * 16, 2, -0.5f, 0.5f), w2 = random_floats(16 * 16, 3, w2_lo, w2_hi);
  ModelBuilder mb(14);
  mb.input("x", p.xd).initializer("w1", {16, 16, 1, 1}, w1).initializer("w2", {16, 16, 1, 1}, w2);
  mb.initializer("b2", {16}, std::vector<float>(16, bias));
  mb.node("Conv", {"x", "w1"}, {"a"}).node("Conv", {"x", "w2", "b2"}, {"b"}).node(op.name, {"a", "b"}, {"s"});
  mb.node("Relu", {"s"}, {"y"}).output("y");
  p.model = mb.bytes();
  const auto a = conv1x1_reference(p.xd, p.x, w1, 16), b = conv1x1_reference(p.xd, p.x, w2, 16, bias);
  for (size_t i = 0; i < a.size(); ++i) p.want.push_back(static_cast<float>(std::max(0.0, op.ref(a[i], b[i]))));
  return p;
}

// The op reads both Conv outputs in their layout (a Conv step right
// before it) and runs the Relu as its post-op.
inline void check_arith_of_conv_outputs(const ArithOp& op) {
  const ConvPair p = conv_pair(op);
  RunOptions opts;
  opts.profile = true;
  const RunResult r = p.run(opts);
  // The Relu ran inside the op, and nothing converted the Conv outputs for it.
  const auto& ops = r.step_ops;
  CHECK(std::find(ops.begin(), ops.end(), "Relu") == ops.end());
  const auto it = std::find(ops.begin(), ops.end(), op.name);
  REQUIRE(it != ops.end());
  CHECK(*(it - 1) == "Conv");
}

// The errors of infer_binary for arithmetic, one SUBCASE each.
inline void run_arith_errors(const ArithOp& op) {
  const std::string prefix = "<memory>: node 'node' (" + op.name + ", domain ai.onnx, opset ";
  SUBCASE("shapes that do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {4}, {})};
    const RunResult r = load_model(one_node_model(op.name, 14, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "14): shapes [2,3] and [4] cannot be broadcast together (dim 1: 3 vs 4)");
  }
  SUBCASE("different element types") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::ints("b", {2}, {})};
    const RunResult r = load_model(one_node_model(op.name, 14, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "14): the inputs have different element types (float and int64)");
  }
  SUBCASE("opset 6 without broadcast=1 needs equal shapes") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model(op.name, 6, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "6): A [2,3] and B [3] must have the same shape unless the attribute broadcast is 1");
  }
  SUBCASE("opset 6 axis that does not place B inside A") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model(op.name, 6, in, {Attr("broadcast", 1), Attr("axis", 2)}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "6): axis 2 does not place B [3] inside A [2,3]");
  }
  SUBCASE("float16 is refused") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_FLOAT16, {2}, std::vector<uint16_t>{}),
                                        HostTensor::typed("b", CNNRT_FLOAT16, {2}, std::vector<uint16_t>{})};
    const RunResult r = load_model(one_node_model(op.name, 14, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == prefix + "14): input 0 has element type float16; supported: float, integer types");
  }
}

}  // namespace cnnrt::test
