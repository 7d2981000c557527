// Softplus against a naive reference: ln(1 + exp(x)), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Softplus matches the reference") {
  for (int opset : {1, 22}) {
    CAPTURE(opset);
    check_unary("Softplus", opset, {}, [](double v) { return std::log1p(std::exp(v)); }, -30.0f, 30.0f, 3e-6, 1e-5);
  }
}

TEST_CASE("Softplus after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Softplus", 1, {}, [](double v) { return std::log1p(std::exp(v)); }, true, 2e-5, 1e-4);
}

TEST_CASE("Softplus refuses integer input") {
  const RunResult r = load_model(one_node_model("Softplus", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Softplus, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
