// Softsign against a naive reference: x / (1 + |x|), every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; after a Conv it runs as its own step (not fusable).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Softsign matches the reference") {
  for (int opset : {1, 22}) {
    CAPTURE(opset);
    check_unary("Softsign", opset, {}, [](double v) { return v / (1.0 + std::fabs(v)); }, -20.0f, 20.0f, 1e-7, 1e-6);
  }
}

TEST_CASE("Softsign after Conv and Gemm runs on its own") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Softsign", 22, {}, [](double v) { return v / (1.0 + std::fabs(v)); }, false, 2e-5, 1e-4);
}

TEST_CASE("Softsign refuses integer input") {
  const RunResult r = load_model(one_node_model("Softsign", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Softsign, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}
