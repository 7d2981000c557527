// Shared by the ten test_reduce*.cpp files: a naive reference for ONNX
// reductions and the cases every reduction must pass (ranks 0 to 5, odd
// sizes, single/multiple/negative/all axes, keepdims, each opset form of
// axes, noop_with_empty_axes, an input in a Conv's layout, empty sets) plus
// the errors. Each test file instantiates them for its op.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

namespace cnnrt::test {

struct ReduceOp {
  std::string name;           // "ReduceSum"
  int axes_input_opset = 18;  // opset from which axes is an input
  // Folds the reduced values of one output element into the result.
  std::function<double(const std::vector<double>&)> fold;
  float lo = -2.0f, hi = 2.0f;  // input range the op is tested on
};

inline double fold_sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

using Shape = std::vector<int64_t>;

// The reference: every output element folds the input elements that share
// its kept coordinates.
inline std::vector<float> reference_reduce(const ReduceOp& op, const Shape& x_dims, const std::vector<float>& x,
                                           std::vector<int64_t> axes, bool keepdims, Shape* y_dims) {
  const size_t rank = x_dims.size();
  std::vector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes) reduced[static_cast<size_t>(a < 0 ? a + static_cast<int64_t>(rank) : a)] = true;
  Shape kept = x_dims;
  y_dims->clear();
  for (size_t i = 0; i < rank; ++i) {
    if (reduced[i]) kept[i] = 1;
    if (!reduced[i] || keepdims) y_dims->push_back(kept[i]);
  }
  std::vector<std::vector<double>> groups(element_count(kept));
  for (size_t flat = 0; flat < x.size(); ++flat) {
    size_t rest = flat, out = 0, stride = 1;
    for (size_t i = rank; i-- > 0;) {
      const size_t idx = rest % static_cast<size_t>(x_dims[i]);
      rest /= static_cast<size_t>(x_dims[i]);
      if (!reduced[i]) out += idx * stride;
      stride *= static_cast<size_t>(kept[i]);
    }
    groups[out].push_back(x[flat]);
  }
  std::vector<float> y;
  for (const auto& g : groups) y.push_back(static_cast<float>(op.fold(g)));
  return y;
}

// A model with one reduction node; axes as attribute or constant input
// depending on the opset.
inline std::string reduce_model(const ReduceOp& op, int opset, const Shape& x_dims, const std::vector<int64_t>& axes,
                                bool keepdims, bool noop = false, bool pass_axes = true) {
  ModelBuilder mb(opset);
  mb.input("x", x_dims);
  std::vector<Attr> attrs = {Attr("keepdims", static_cast<int64_t>(keepdims))};
  std::vector<std::string> inputs = {"x"};
  if (opset >= op.axes_input_opset) {
    if (noop) attrs.emplace_back("noop_with_empty_axes", 1);
    if (pass_axes) {
      mb.initializer_i64("axes", {static_cast<int64_t>(axes.size())}, axes);
      inputs.push_back("axes");
    }
  } else if (!axes.empty()) {
    attrs.emplace_back("axes", axes);
  }
  mb.node(op.name, inputs, {"y"}, attrs, "reduce").output("y");
  return mb.bytes();
}

inline double reduce_tolerance(const std::vector<float>& want) {
  double m = 1;
  for (float v : want)
    if (std::isfinite(v)) m = std::max(m, static_cast<double>(std::fabs(v)));
  return 2e-5 * m;
}

inline void check_reduce(const ReduceOp& op, int opset, const Shape& x_dims, const std::vector<int64_t>& axes,
                         bool keepdims, uint32_t seed) {
  CAPTURE(opset);
  CAPTURE(x_dims.size());
  CAPTURE(axes.size());
  CAPTURE(keepdims);
  const auto x = random_floats(element_count(x_dims), seed, op.lo, op.hi);
  Shape y_dims;
  const auto want = reference_reduce(op, x_dims, x, axes, keepdims, &y_dims);
  const RunResult r = run_model(reduce_model(op, opset, x_dims, axes, keepdims), {HostTensor::floats("x", x_dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == y_dims);
  CHECK(max_abs_diff(r.outputs[0].f, want) <= reduce_tolerance(want));
}

// Every opset form the op has: attribute axes before axes_input_opset,
// constant input axes from it on.
inline std::vector<int> reduce_opsets(const ReduceOp& op) {
  return op.axes_input_opset == 13 ? std::vector<int>{1, 11, 13, 18} : std::vector<int>{1, 11, 13, 18, 20};
}

inline void run_reduce_cases(const ReduceOp& op) {
  uint32_t seed = 1;
  SUBCASE("axes subsets, ranks 1 to 5, keepdims, each opset form") {
    const std::vector<std::pair<Shape, std::vector<int64_t>>> cases = {
        {{7}, {0}},           {{5, 3}, {1}},         {{5, 3}, {0}},          {{3, 4, 5}, {0, 2}},
        {{3, 4, 5}, {-1}},    {{2, 3, 5, 7}, {2, 3}}, {{2, 3, 5, 7}, {1}},   {{2, 3, 5, 7}, {-3, 0}},
        {{2, 3, 2, 3, 5}, {1, 3, 4}}, {{3, 1, 5}, {1}}, {{4, 6}, {}},        {{2, 3, 4}, {}},
    };
    for (int opset : reduce_opsets(op))
      for (const auto& c : cases)
        for (bool keepdims : {true, false}) check_reduce(op, opset, c.first, c.second, keepdims, seed++);
  }
  SUBCASE("a scalar input") {
    for (bool keepdims : {true, false}) check_reduce(op, 13, {}, {}, keepdims, seed++);
  }
  SUBCASE("noop_with_empty_axes returns the input; without it empty axes reduce everything") {
    const Shape dims = {3, 4, 5};
    const auto x = random_floats(60, 900, op.lo, op.hi);
    const int opset = op.axes_input_opset;
    RunResult r = run_model(reduce_model(op, opset, dims, {}, true, /*noop=*/true), {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == dims);
    CHECK(r.outputs[0].f == x);
    // No axes input at all behaves like empty axes.
    r = run_model(reduce_model(op, opset, dims, {}, false, /*noop=*/true, /*pass_axes=*/false),
                  {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == x);
    Shape y_dims;
    const auto want = reference_reduce(op, dims, x, {}, false, &y_dims);
    r = run_model(reduce_model(op, opset, dims, {}, false, /*noop=*/false, /*pass_axes=*/false),
                  {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == y_dims);
    CHECK(max_abs_diff(r.outputs[0].f, want) <= reduce_tolerance(want));
  }
  SUBCASE("an input in a Conv's layout, over the spatial dims") {
    const int64_t c = 32;
    const std::vector<float> w = identity_conv_weights(c);
    const Shape dims = {2, c, 5, 7};
    const auto x = random_floats(element_count(dims), 901, op.lo, op.hi);
    for (bool keepdims : {true, false}) {
      CAPTURE(keepdims);
      ModelBuilder mb(13);
      std::vector<Attr> attrs = {Attr("keepdims", static_cast<int64_t>(keepdims))};
      std::vector<std::string> inputs = {"t"};
      if (op.axes_input_opset <= 13) {
        mb.initializer_i64("axes", {2}, {2, 3});
        inputs.push_back("axes");
      } else {
        attrs.emplace_back("axes", std::vector<int64_t>{2, 3});
      }
      mb.input("x", dims).initializer("w", {c, c, 1, 1}, w).node("Conv", {"x", "w"}, {"t"});
      mb.node(op.name, inputs, {"y"}, attrs).output("y");
      Shape y_dims;
      const auto want = reference_reduce(op, dims, x, {2, 3}, keepdims, &y_dims);
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == y_dims);
      CHECK(max_abs_diff(r.outputs[0].f, want) <= reduce_tolerance(want));
    }
  }
  SUBCASE("an empty reduced set gives the reduction's identity") {
    for (bool keepdims : {true, false}) {
      const Shape dims = {2, 0, 3};
      Shape y_dims;
      const auto want = reference_reduce(op, dims, {}, {1}, keepdims, &y_dims);
      const RunResult r = run_model(reduce_model(op, 18, dims, {1}, keepdims), {HostTensor::floats("x", dims, {})});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == y_dims);
      REQUIRE(r.outputs[0].f.size() == want.size());
      for (size_t i = 0; i < want.size(); ++i) {
        if (std::isnan(want[i]))
          CHECK(std::isnan(r.outputs[0].f[i]));
        else
          CHECK(r.outputs[0].f[i] == want[i]);
      }
    }
  }
  SUBCASE("errors") {
    const std::string prefix = "<memory>: node 'reduce' (" + op.name + ", domain ai.onnx, opset ";
    RunResult r = load_model(reduce_model(op, 13, {2, 3, 4}, {1, -2}, true));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): axis -2 appears twice in axes [1,-2]");
    r = load_model(reduce_model(op, 13, {2, 3, 4}, {3}, true));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): axis 3 is out of range for rank 3");
    // axes as an attribute where it must be an input
    ModelBuilder mb(op.axes_input_opset);
    mb.input("x", {2, 3}).node(op.name, {"x"}, {"y"}, {Attr("axes", std::vector<int64_t>{1})}, "reduce").output("y");
    r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + std::to_string(op.axes_input_opset) + "): axes is an input at this opset, not an attribute");
    // axes computed from data: a rank-2 input is never taken as a shape
    // input (Session keys plans only on small rank <= 1 inputs)
    ModelBuilder rt(op.axes_input_opset);
    rt.input("x", {2, 3}).input("axes_2d", {1, 1}, onnx::TensorProto::INT64).initializer_i64("flat", {1}, {1});
    rt.node("Reshape", {"axes_2d", "flat"}, {"axes"}).node(op.name, {"x", "axes"}, {"y"}, {}, "reduce").output("y");
    r = load_model(rt.bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == prefix + std::to_string(op.axes_input_opset) +
                         "): input 1 (axes, 'axes') must be a constant or computable from the input shapes");
  }
  SUBCASE("axes given as a graph input: a plan per axes") {
    for (bool keepdims : {true, false}) {
      ModelBuilder mb(op.axes_input_opset);
      mb.input("x", {-1, 3, 4}).input("axes", {1}, onnx::TensorProto::INT64);
      mb.node(op.name, {"x", "axes"}, {"y"}, {Attr("keepdims", static_cast<int64_t>(keepdims))}, "reduce").output("y");
      const std::string model = mb.bytes();
      for (int64_t axis : {1, -1, 0}) {
        CAPTURE(keepdims);
        CAPTURE(axis);
        const Shape dims = {2, 3, 4};
        const auto x = random_floats(element_count(dims), 950 + static_cast<uint32_t>(axis + 1), op.lo, op.hi);
        Shape y_dims;
        const auto want = reference_reduce(op, dims, x, {axis}, keepdims, &y_dims);
        const RunResult r = run_model(model, {HostTensor::floats("x", dims, x), HostTensor::ints("axes", {1}, {axis})});
        REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
        CHECK(r.outputs[0].dims == y_dims);
        CHECK(max_abs_diff(r.outputs[0].f, want) <= reduce_tolerance(want));
      }
    }
  }
}

}  // namespace cnnrt::test
