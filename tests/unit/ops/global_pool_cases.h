// Shared by test_globalaveragepool.cpp and test_globalmaxpool.cpp (both
// lowered by ops/common/global_pool.cpp): checks against the op's naive
// reduction over the spatial dims for 1 to 4 spatial dims with odd sizes,
// batch > 1, an input arriving in a Conv's layout, a dynamic batch, and the
// error for an input without spatial dims. Each test file names its
// reference.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "support/onnx_builder.h"
#include "support/run_model.h"

namespace cnnrt::test {

struct GlobalPoolOp {
  std::string name;  // "GlobalMaxPool"
  std::string node;  // the node's name in the error case ("gmp")
  // The op on the values of one (n, c) plane.
  std::function<double(const std::vector<double>&)> fold;
};

// The reference: one folded value per (n, c) plane of x (dims [N, C,
// spatial...], row-major).
inline std::vector<float> reference_global_pool(const GlobalPoolOp& op, const std::vector<int64_t>& dims,
                                                const std::vector<float>& x) {
  const int64_t planes = dims[0] * dims[1];
  int64_t spatial = 1;
  for (size_t i = 2; i < dims.size(); ++i) spatial *= dims[i];
  std::vector<float> y(static_cast<size_t>(planes));
  for (int64_t p = 0; p < planes; ++p)
    y[p] = static_cast<float>(op.fold(std::vector<double>(x.begin() + p * spatial, x.begin() + (p + 1) * spatial)));
  return y;
}

// The input's dims with every spatial dim 1.
inline std::vector<int64_t> pooled_dims(std::vector<int64_t> dims) {
  for (size_t i = 2; i < dims.size(); ++i) dims[i] = 1;
  return dims;
}

inline void check_global_pool_spatial_ranks(const GlobalPoolOp& op) {
  const std::vector<std::vector<int64_t>> shapes = {
      {2, 3, 7}, {1, 5, 9, 11}, {3, 2, 1, 13}, {2, 3, 3, 5, 4}, {1, 2, 3, 2, 5, 3}};
  uint32_t seed = 1;
  for (const auto& dims : shapes)
    for (int opset : {1, 13, 22}) {
      CAPTURE(dims.size());
      CAPTURE(opset);
      const size_t n = element_count(dims);
      const auto x = random_floats(n, seed++);
      ModelBuilder mb(opset);
      mb.input("x", dims).node(op.name, {"x"}, {"y"}).output("y");
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == pooled_dims(dims));
      CHECK(max_abs_diff(r.outputs[0].f, reference_global_pool(op, dims, x)) < 1e-5);
    }
}

inline void check_global_pool_of_conv_output(const GlobalPoolOp& op) {
  const std::vector<int64_t> dims = {2, 32, 7, 9};
  const auto x = random_floats(2 * 32 * 7 * 9, 11);
  ModelBuilder mb(13);
  mb.input("x", dims)
      .initializer("w", {32, 32, 1, 1}, identity_conv_weights(32))
      .node("Conv", {"x", "w"}, {"c"})
      .node(op.name, {"c"}, {"y"})
      .output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == pooled_dims(dims));
  CHECK(max_abs_diff(r.outputs[0].f, reference_global_pool(op, dims, x)) < 1e-5);
}

// A bf16 session pooling a grouped conv's output (8 channels per group:
// oneDNN holds it in 8-channel blocks, which its bf16 pooling has only a
// reference kernel for; RegNet's gates took 3 ms each): the pool must read
// it converted, not on the reference kernel, and agree with the pool of the
// conv output it was given.
inline void check_global_pool_of_bf16_grouped_conv(const GlobalPoolOp& op) {
  const std::vector<int64_t> dims = {1, 48, 14, 14};
  ModelBuilder mb(13);
  mb.input("x", dims).initializer("w", {48, 8, 3, 3}, random_floats(48 * 8 * 9, 31));
  mb.node("Conv", {"x", "w"}, {"c"}, {Attr("group", int64_t{6}), Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  mb.node(op.name, {"c"}, {"y"}).output("y");
  RunOptions opts;
  opts.precision = CNNRT_PRECISION_BF16;
  opts.profile = true;
  opts.extra_outputs = {"c"};
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, random_floats(48 * 196, 32))}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  REQUIRE(r.outputs.size() == 2);
  const std::vector<float> want = reference_global_pool(op, dims, r.outputs[1].f);
  double peak = 0;
  for (float v : want) peak = std::max(peak, static_cast<double>(std::fabs(v)));
  CHECK(max_abs_diff(r.outputs[0].f, want) <= 1e-2 * peak);  // the pooled value is rounded to bf16
  for (size_t i = 0; i < r.step_impls.size(); ++i) {
    CAPTURE(r.step_ops[i]);
    CHECK(r.step_impls[i].rfind("ref", 0) != 0);
  }
}

inline void check_global_pool_dynamic_batch(const GlobalPoolOp& op) {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3, 5, 5}).node(op.name, {"x"}, {"y"}).output("y");
  for (int64_t n : {1, 4, 2}) {
    const std::vector<int64_t> dims = {n, 3, 5, 5};
    const auto x = random_floats(static_cast<size_t>(n * 75), 20 + static_cast<uint32_t>(n));
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == pooled_dims(dims));
    CHECK(max_abs_diff(r.outputs[0].f, reference_global_pool(op, dims, x)) < 1e-5);
  }
}

inline void check_global_pool_needs_spatial_dims(const GlobalPoolOp& op) {
  ModelBuilder mb(13);
  mb.input("x", {2, 3}).node(op.name, {"x"}, {"y"}, {}, op.node).output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node '" + op.node + "' (" + op.name +
                       ", domain ai.onnx, opset 13): input 0 ('x') must have rank 3 to 12, got shape [2,3]");
}

}  // namespace cnnrt::test
