// Elu against a naive reference: x if x > 0 else alpha * (exp(x) - 1), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Elu matches the reference (default alpha 1)") {
  for (int opset : {1, 6, 22}) {
    CAPTURE(opset);
    check_unary("Elu", opset, {}, [](double v) { return v > 0 ? v : std::expm1(v); }, -6.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Elu matches the reference (alpha 2.5)") {
  for (int opset : {6, 22}) {
    CAPTURE(opset);
    check_unary("Elu", opset, {Attr("alpha", 2.5f)}, [](double v) { return v > 0 ? v : 2.5 * std::expm1(v); }, -6.0f, 4.0f, 1e-6, 1e-5);
  }
}

TEST_CASE("Elu after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Elu", 22, {Attr("alpha", 2.5f)}, [](double v) { return v > 0 ? v : 2.5 * std::expm1(v); }, true, 2e-5, 1e-4);
}

TEST_CASE("Elu refuses integer input") {
  const RunResult r = load_model(one_node_model("Elu", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Elu, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
