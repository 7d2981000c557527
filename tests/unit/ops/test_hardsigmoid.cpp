// HardSigmoid against a naive reference: max(0, min(1, alpha * x + beta)), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("HardSigmoid matches the reference (default alpha 0.2, beta 0.5)") {
  for (int opset : {1, 6, 22}) {
    CAPTURE(opset);
    check_unary("HardSigmoid", opset, {}, [](double v) { return std::max(0.0, std::min(1.0, 0.2 * v + 0.5)); }, -4.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("HardSigmoid matches the reference (alpha 0.5, beta 0.25)") {
  for (int opset : {6, 22}) {
    CAPTURE(opset);
    check_unary("HardSigmoid", opset, {Attr("alpha", 0.5f), Attr("beta", 0.25f)}, [](double v) { return std::max(0.0, std::min(1.0, 0.5 * v + 0.25)); }, -4.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("HardSigmoid matches the reference (negative alpha)") {
  for (int opset : {22}) {
    CAPTURE(opset);
    check_unary("HardSigmoid", opset, {Attr("alpha", -0.3f), Attr("beta", 0.1f)}, [](double v) { return std::max(0.0, std::min(1.0, -0.3 * v + 0.1)); }, -5.0f, 5.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("HardSigmoid after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "HardSigmoid", 22, {Attr("alpha", -0.3f), Attr("beta", 0.1f)}, [](double v) { return std::max(0.0, std::min(1.0, -0.3 * v + 0.1)); }, true, 2e-5, 1e-4);
}

TEST_CASE("HardSigmoid refuses integer input") {
  const RunResult r = load_model(one_node_model("HardSigmoid", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (HardSigmoid, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
