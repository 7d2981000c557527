// Sigmoid against a naive reference: 1 / (1 + exp(-x)), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Sigmoid matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Sigmoid", opset, {}, [](double v) { return 1.0 / (1.0 + std::exp(-v)); }, -12.0f, 12.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Sigmoid after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Sigmoid", 13, {}, [](double v) { return 1.0 / (1.0 + std::exp(-v)); }, true, 2e-5, 1e-4);
}

TEST_CASE("Sigmoid refuses integer input") {
  const RunResult r = load_model(one_node_model("Sigmoid", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Sigmoid, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}
