// Log against a naive reference: ln(x), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Log matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Log", opset, {}, [](double v) { return std::log(v); }, 0.001f, 50.0f, 4e-6, 1e-5);
  }
}

TEST_CASE("Log after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Log", 13, {}, [](double v) { return std::log(v); }, true, 2e-5, 1e-4);
}

TEST_CASE("Log refuses integer input") {
  const RunResult r = load_model(one_node_model("Log", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Log, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}

TEST_CASE("Log of 0, negative numbers and infinity") {
  const std::vector<float> x = {0.0f, -1.0f, INFINITY, 1.0f};
  const RunResult r = run_model(one_node_model("Log", 13, {HostTensor::floats("x", {4}, x)}), {HostTensor::floats("x", {4}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f[0] == -INFINITY);
  CHECK(std::isnan(r.outputs[0].f[1]));
  CHECK(r.outputs[0].f[2] == INFINITY);
  // oneDNN 2.6's log is off by about 1.4e-6 in absolute terms.
  CHECK(std::fabs(r.outputs[0].f[3]) < 4e-6);
}
