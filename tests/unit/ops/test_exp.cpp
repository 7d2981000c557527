// Exp against a naive reference: exp(x), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Exp matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Exp", opset, {}, [](double v) { return std::exp(v); }, -20.0f, 20.0f, 1e-6, 3e-6);
  }
}

TEST_CASE("Exp after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Exp", 13, {}, [](double v) { return std::exp(v); }, true, 2e-5, 1e-4);
}

TEST_CASE("Exp refuses integer input") {
  const RunResult r = load_model(one_node_model("Exp", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Exp, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}
