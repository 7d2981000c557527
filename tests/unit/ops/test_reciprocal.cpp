// Reciprocal against a naive reference: 1 / x, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Reciprocal matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Reciprocal", opset, {}, [](double v) { return 1.0 / v; }, -10.0f, 10.0f, 0, 1e-6);
  }
}

TEST_CASE("Reciprocal after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Reciprocal", 13, {}, [](double v) { return 1.0 / v; }, true, 2e-5, 1e-4);
}

TEST_CASE("Reciprocal refuses integer input") {
  const RunResult r = load_model(one_node_model("Reciprocal", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Reciprocal, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}

TEST_CASE("Reciprocal of zero is infinity") {
  const std::vector<float> x = {0.0f, -0.0f};
  const RunResult r = run_model(one_node_model("Reciprocal", 13, {HostTensor::floats("x", {2}, x)}), {HostTensor::floats("x", {2}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f[0] == INFINITY);
  CHECK(r.outputs[0].f[1] == -INFINITY);
}
