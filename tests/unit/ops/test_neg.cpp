// Neg against a naive reference: -x, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Neg matches the reference") {
  for (int opset : {1, 6, 13}) {
    CAPTURE(opset);
    check_unary("Neg", opset, {}, [](double v) { return -v; }, -10.0f, 10.0f, 0, 0);
  }
}

TEST_CASE("Neg after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Neg", 13, {}, [](double v) { return -v; }, true, 2e-5, 1e-4);
}

TEST_CASE("Neg refuses integer input") {
  const RunResult r = load_model(one_node_model("Neg", 13, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Neg, domain ai.onnx, opset 13): input 0 ('x') has element type int64; supported: float");
}
