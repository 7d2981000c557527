// Tanh against a naive reference: tanh(x), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Tanh matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Tanh", opset, {}, [](double v) { return std::tanh(v); }, -6.0f, 6.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Tanh after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Tanh", 13, {}, [](double v) { return std::tanh(v); }, true, 2e-5, 1e-4);
}

TEST_CASE("Tanh refuses integer input") {
  const RunResult r = load_model(one_node_model("Tanh", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Tanh, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}
