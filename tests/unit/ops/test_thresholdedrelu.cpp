// ThresholdedRelu against a naive reference: x if x > alpha else 0, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; after a Conv it runs as its own step (not fusable).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("ThresholdedRelu matches the reference (default alpha 1)") {
  for (int opset : {10, 22}) {
    CAPTURE(opset);
    check_unary("ThresholdedRelu", opset, {}, [](double v) { return v > 1.0 ? v : 0.0; }, -4.0f, 4.0f, 0, 0);
  }
}

TEST_CASE("ThresholdedRelu matches the reference (alpha -0.5)") {
  for (int opset : {10, 22}) {
    CAPTURE(opset);
    check_unary("ThresholdedRelu", opset, {Attr("alpha", -0.5f)}, [](double v) { return v > -0.5 ? v : 0.0; }, -4.0f, 4.0f, 0, 0);
  }
}

TEST_CASE("ThresholdedRelu after Conv and Gemm runs on its own") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "ThresholdedRelu", 22, {Attr("alpha", -0.5f)}, [](double v) { return v > -0.5 ? v : 0.0; }, false, 2e-5, 1e-4);
}

TEST_CASE("ThresholdedRelu refuses integer input") {
  const RunResult r = load_model(one_node_model("ThresholdedRelu", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (ThresholdedRelu, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
