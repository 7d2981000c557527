// Erf against a naive reference: the error function, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; after a Conv it runs as its own step (not fusable).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Erf matches the reference") {
  for (int opset : {9, 13}) {
    CAPTURE(opset);
    check_unary("Erf", opset, {}, [](double v) { return std::erf(v); }, -5.0f, 5.0f, 1e-6, 0);
  }
}

TEST_CASE("Erf after Conv and Gemm runs on its own") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Erf", 13, {}, [](double v) { return std::erf(v); }, false, 2e-5, 1e-4);
}

TEST_CASE("Erf refuses integer input") {
  const RunResult r = load_model(one_node_model("Erf", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Erf, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}

TEST_CASE("Erf at 0, tiny, huge, infinite and NaN inputs") {
  const std::vector<float> x = {0.0f, 1e-30f, -1e-6f, 3.0f, -4.5f, 1e30f, -3e38f, INFINITY, -INFINITY, NAN};
  std::vector<float> want;
  for (float v : x) want.push_back(static_cast<float>(std::erf(static_cast<double>(v))));
  const RunResult r = run_model(one_node_model("Erf", 13, {HostTensor::floats("x", {10}, x)}), {HostTensor::floats("x", {10}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 0) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 0));
}
