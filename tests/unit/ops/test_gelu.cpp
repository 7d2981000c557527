// Gelu against a naive reference: x * Phi(x), or its tanh approximation, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Gelu matches the reference (approximate none)") {
  for (int opset : {20}) {
    CAPTURE(opset);
    check_unary("Gelu", opset, {}, [](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); }, -6.0f, 6.0f, 2e-6, 1e-5);
  }
}

TEST_CASE("Gelu matches the reference (approximate tanh)") {
  for (int opset : {20}) {
    CAPTURE(opset);
    check_unary("Gelu", opset, {Attr("approximate", "tanh")}, [](double v) { return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v))); }, -6.0f, 6.0f, 2e-6, 1e-5);
  }
}

TEST_CASE("Gelu after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Gelu", 20, {Attr("approximate", "tanh")}, [](double v) { return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v))); }, true, 2e-5, 1e-4);
}

TEST_CASE("Gelu refuses integer input") {
  const RunResult r = load_model(one_node_model("Gelu", 20, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Gelu, domain ai.onnx, opset 20): input 0 ('x') has element type int64; supported: float");
}

TEST_CASE("Gelu refuses an unknown approximation") {
  const RunResult r = load_model(one_node_model("Gelu", 20, {HostTensor::floats("x", {3}, {})}, {Attr("approximate", "fast")}));
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'node' (Gelu, domain ai.onnx, opset 20): approximate 'fast' is not one of none, tanh");
}
