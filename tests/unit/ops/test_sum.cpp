// Sum against a naive reference: one to four inputs, numpy broadcasting
// from opset 8 (equal shapes before, opsets 1 and 6), and the errors
// a bad Sum gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

// The reference: the sum over the inputs at each output element.
std::vector<float> reference(const std::vector<std::vector<float>>& in, const std::vector<Dims>& dims, const Dims& out) {
  std::vector<float> y(element_count(out));
  for (size_t i = 0; i < y.size(); ++i) {
    double acc = in[0][broadcast_offset(dims[0], out, i)];
    for (size_t k = 1; k < in.size(); ++k) {
      const double v = in[k][broadcast_offset(dims[k], out, i)];
      acc = acc + v;
    }
    y[i] = static_cast<float>(acc);
  }
  return y;
}

void check(int opset, const std::vector<Dims>& dims) {
  CAPTURE(opset);
  CAPTURE(dims.size());
  std::vector<HostTensor> in;
  std::vector<std::vector<float>> values;
  Dims out;
  for (size_t k = 0; k < dims.size(); ++k) {
    values.push_back(random_floats(element_count(dims[k]), static_cast<uint32_t>(k + 3), -4, 4));
    in.push_back(HostTensor::floats("in" + std::to_string(k), dims[k], values.back()));
    out = k == 0 ? dims[0] : broadcast_dims(out, dims[k]);
  }
  const RunResult r = run_model(one_node_model("Sum", opset, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == out);
  const auto want = reference(values, dims, out);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 1e-6) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 1e-6));
}

}  // namespace

TEST_CASE("Sum of equally shaped inputs, every opset") {
  for (int opset : {1, 6, 8, 13})
    for (size_t n = 1; n <= 4; ++n) {
      check(opset, std::vector<Dims>(n, Dims{2, 3, 5}));
      check(opset, std::vector<Dims>(n, Dims{}));
    }
}

TEST_CASE("Sum broadcasts like numpy from opset 8") {
  for (int opset : {8, 13}) {
    for (const auto& c : broadcast_cases()) check(opset, {c.first, c.second});
    check(opset, {{3, 1}, {1, 4}, {2, 1, 1}});   // no input has the output's shape
    check(opset, {{5}, {2, 3, 5}, {3, 1}, {}});  // the full-shape input is not first
    check(opset, {{2, 3, 5}, {2, 3, 5}, {5}});   // equal shapes and a broadcast one
  }
}

TEST_CASE("Sum of Conv outputs in their own layout") {
  const Dims xd = {1, 16, 5, 7};
  const auto x = random_floats(element_count(xd), 1, -1, 1);
  ModelBuilder mb(13);
  mb.input("x", xd);
  std::vector<std::vector<float>> w;
  std::vector<std::string> names;
  for (int k = 0; k < 3; ++k) {
    w.push_back(random_floats(16 * 16, static_cast<uint32_t>(10 + k), -0.5f, 0.5f));
    mb.initializer("w" + std::to_string(k), {16, 16, 1, 1}, w.back());
    mb.node("Conv", {"x", "w" + std::to_string(k)}, {"c" + std::to_string(k)});
    names.push_back("c" + std::to_string(k));
  }
  mb.node("Sum", names, {"y"}).output("y");
  std::vector<std::vector<float>> convs(3, std::vector<float>(x.size()));
  for (int k = 0; k < 3; ++k)
    for (int64_t m = 0; m < 16; ++m)
      for (int64_t p = 0; p < 35; ++p) {
        double acc = 0;
        for (int64_t c = 0; c < 16; ++c) acc += static_cast<double>(x[c * 35 + p]) * w[k][m * 16 + c];
        convs[k][m * 35 + p] = static_cast<float>(acc);
      }
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const auto want = reference(convs, {xd, xd, xd}, xd);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
}

TEST_CASE("Sum errors") {
  SUBCASE("opsets before 8 do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model("Sum", 6, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sum, domain ai.onnx, opset 6): before opset 8 the inputs must have one "
                     "shape, got [2,3] and [3]");
  }
  SUBCASE("inputs of different types") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::ints("b", {2}, {})};
    const RunResult r = load_model(one_node_model("Sum", 13, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sum, domain ai.onnx, opset 13): input 1 has element type int64, input 0 "
                     "float");
  }
  SUBCASE("no inputs") {
    const RunResult r = load_model(one_node_model("Sum", 13, {}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sum, domain ai.onnx, opset 13): expects at least one input");
  }
  SUBCASE("integer inputs") {
    const std::vector<HostTensor> in = {HostTensor::ints("a", {2}, {}), HostTensor::ints("b", {2}, {})};
    const RunResult r = load_model(one_node_model("Sum", 13, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (Sum, domain ai.onnx, opset 13): input 0 has element type int64; "
                     "supported: float");
  }
}
