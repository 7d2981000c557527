// Celu against a naive reference: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Celu matches the reference (default alpha 1)") {
  for (int opset : {12}) {
    CAPTURE(opset);
    check_unary("Celu", opset, {}, [](double v) { return std::max(0.0, v) + std::min(0.0, std::expm1(v)); }, -6.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Celu matches the reference (alpha 2)") {
  for (int opset : {12}) {
    CAPTURE(opset);
    check_unary("Celu", opset, {Attr("alpha", 2.0f)}, [](double v) { return std::max(0.0, v) + std::min(0.0, 2.0 * std::expm1(v / 2.0)); }, -6.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Celu matches the reference (alpha 0.3)") {
  for (int opset : {12}) {
    CAPTURE(opset);
    check_unary("Celu", opset, {Attr("alpha", 0.3f)}, [](double v) { return std::max(0.0, v) + std::min(0.0, double(0.3f) * std::expm1(v / double(0.3f))); }, -6.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Celu after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Celu", 12, {Attr("alpha", 0.3f)}, [](double v) { return std::max(0.0, v) + std::min(0.0, double(0.3f) * std::expm1(v / double(0.3f))); }, true, 2e-5, 1e-4);
}

TEST_CASE("Celu refuses integer input") {
  const RunResult r = load_model(one_node_model("Celu", 12, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Celu, domain ai.onnx, opset 12): input 0 ('x') has element type int64; supported: float");
}
