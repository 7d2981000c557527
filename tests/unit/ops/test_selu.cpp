// Selu against a naive reference: gamma * (x if x > 0 else alpha * (exp(x) - 1)), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Selu matches the reference (default alpha and gamma)") {
  for (int opset : {1, 6, 22}) {
    CAPTURE(opset);
    check_unary("Selu", opset, {}, [](double v) { return 1.05070102214813232421875 * (v > 0 ? v : 1.67326319217681884765625 * std::expm1(v)); }, -6.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Selu matches the reference (alpha 2, gamma 3)") {
  for (int opset : {6, 22}) {
    CAPTURE(opset);
    check_unary("Selu", opset, {Attr("alpha", 2.0f), Attr("gamma", 3.0f)}, [](double v) { return 3.0 * (v > 0 ? v : 2.0 * std::expm1(v)); }, -6.0f, 4.0f, 2e-6, 1e-5);
  }
}

TEST_CASE("Selu after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Selu", 22, {Attr("alpha", 2.0f), Attr("gamma", 3.0f)}, [](double v) { return 3.0 * (v > 0 ? v : 2.0 * std::expm1(v)); }, true, 2e-5, 1e-4);
}

TEST_CASE("Selu refuses integer input") {
  const RunResult r = load_model(one_node_model("Selu", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Selu, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
