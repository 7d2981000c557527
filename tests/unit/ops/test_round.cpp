// Round against a naive reference: round half to even, every opset form and
// attribute, shapes from scalar to rank 5 with odd sizes; fused into Conv and Gemm.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Round matches the reference") {
  for (int opset : {11, 22}) {
    CAPTURE(opset);
    check_unary("Round", opset, {}, [](double v) { return std::nearbyint(v); }, -20.0f, 20.0f, 0, 0);
  }
}

TEST_CASE("Round after Conv and Gemm is fused as post-ops") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Round", 11, {}, [](double v) { return std::nearbyint(v); }, true, 2e-5, 1e-4);
}

TEST_CASE("Round refuses integer input") {
  const RunResult r = load_model(one_node_model("Round", 22, {HostTensor::ints("x", {3}, {})}));
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'node' (Round, domain ai.onnx, opset 22): input 0 ('x') has element type int64; supported: float");
}

TEST_CASE("Round sends halves to the even neighbour") {
  const std::vector<float> x = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.49999997f, -3.7f};
  const std::vector<float> want = {-2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 0.0f, -4.0f};
  const RunResult r = run_model(one_node_model("Round", 11, {HostTensor::floats("x", {8}, x)}), {HostTensor::floats("x", {8}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == want);
}
