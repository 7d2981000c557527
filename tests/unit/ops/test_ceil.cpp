// Ceil against a naive reference: the smallest integer >= x, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; after a Conv it runs as its own step (not fusable).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Ceil matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Ceil", opset, {}, [](double v) { return std::ceil(v); }, -20.0f, 20.0f, 0, 0);
  }
}

TEST_CASE("Ceil after Conv and Gemm runs on its own") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Ceil", 13, {}, [](double v) { return std::ceil(v); }, false, 2e-5, 1e-4);
}

TEST_CASE("Ceil refuses integer input") {
  const RunResult r = load_model(one_node_model("Ceil", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Ceil, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}

TEST_CASE("Ceil at integers, halves, and beyond 2^23") {
  const std::vector<float> x = {-2.5f, -2.0f, -0.5f, 0.5f, 2.0f, 2.5f, 3.5f, 1e8f, -1e8f, 8388609.0f, -INFINITY};
  std::vector<float> want;
  for (float v : x) want.push_back(std::ceil(v));
  const RunResult r = run_model(one_node_model("Ceil", 13, {HostTensor::floats("x", {11}, x)}), {HostTensor::floats("x", {11}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == want);
}
