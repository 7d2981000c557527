// LeakyRelu against a naive reference: x if x >= 0 else alpha * x, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("LeakyRelu matches the reference (default alpha 0.01)") {
  for (int opset : {1, 6, 16}) {
    CAPTURE(opset);
    check_unary("LeakyRelu", opset, {}, [](double v) { return v >= 0 ? v : 0.01 * v; }, -3.0f, 3.0f, 1e-7, 1e-6);
  }
}

TEST_CASE("LeakyRelu matches the reference (alpha 0.2)") {
  for (int opset : {6, 16}) {
    CAPTURE(opset);
    check_unary("LeakyRelu", opset, {Attr("alpha", 0.2f)}, [](double v) { return v >= 0 ? v : double(0.2f) * v; }, -3.0f, 3.0f, 1e-7, 1e-6);
  }
}

TEST_CASE("LeakyRelu matches the reference (negative alpha)") {
  for (int opset : {16}) {
    CAPTURE(opset);
    check_unary("LeakyRelu", opset, {Attr("alpha", -1.5f)}, [](double v) { return v >= 0 ? v : -1.5 * v; }, -3.0f, 3.0f, 1e-7, 1e-6);
  }
}

TEST_CASE("LeakyRelu after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "LeakyRelu", 16, {Attr("alpha", -1.5f)}, [](double v) { return v >= 0 ? v : -1.5 * v; }, true, 2e-5, 1e-4);
}

TEST_CASE("LeakyRelu refuses integer input") {
  const RunResult r = load_model(one_node_model("LeakyRelu", 16, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (LeakyRelu, domain ai.onnx, opset 16): input 0 ('x') has element type int64; supported: float");
}
