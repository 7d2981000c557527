// HardSwish against a naive reference: x * max(0, min(1, x / 6 + 1 / 2)), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("HardSwish matches the reference") {
  for (int opset : {14, 22}) {
    CAPTURE(opset);
    check_unary("HardSwish", opset, {}, [](double v) { return v * std::max(0.0, std::min(1.0, v / 6.0 + 0.5)); }, -5.0f, 5.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("HardSwish after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "HardSwish", 14, {}, [](double v) { return v * std::max(0.0, std::min(1.0, v / 6.0 + 0.5)); }, true, 2e-5, 1e-4);
}

TEST_CASE("HardSwish refuses integer input") {
  const RunResult r = load_model(one_node_model("HardSwish", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (HardSwish, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
