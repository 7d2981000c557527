// Abs against a naive reference: |x|, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <limits>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Abs matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Abs", opset, {}, [](double v) { return std::fabs(v); }, -10.0f, 10.0f, 0, 0);
  }
}

TEST_CASE("Abs after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Abs", 13, {}, [](double v) { return std::fabs(v); }, true, 2e-5, 1e-4);
}

TEST_CASE("Abs on integer types is exact and wraps") {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const std::vector<int64_t> x = {-5, 0, 7, lo, std::numeric_limits<int64_t>::max()};
  const HostTensor in = HostTensor::ints("x", {5}, x);
  const RunResult r = run_model(one_node_model("Abs", 13, {in}), {in});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  std::vector<int64_t> want;
  for (int64_t v : x) want.push_back(v == lo ? lo : (v < 0 ? -v : v));  // -INT64_MIN wraps to itself
  CHECK(r.outputs[0].i64 == want);
  const std::vector<int8_t> small = {-128, -1, 0, 127};
  const HostTensor in8 = HostTensor::typed("x", CNNRT_INT8, {4}, small);
  const RunResult r8 = run_model(one_node_model("Abs", 13, {in8}), {in8});
  REQUIRE_MESSAGE(r8.status == CNNRT_OK, r8.error);
  std::vector<int8_t> want8;
  for (int8_t v : small) want8.push_back(v == -128 ? int8_t{-128} : static_cast<int8_t>(v < 0 ? -v : v));
  CHECK(r8.outputs[0].as<int8_t>() == want8);
}

TEST_CASE("Abs refuses integer input before opset 6") {
  const HostTensor in = HostTensor::ints("x", {3}, {1, 2, 3});
  const RunResult r = load_model(one_node_model("Abs", 1, {in}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Abs, domain ai.onnx, opset 1): integer inputs need opset 6 or later");
}
