// InstanceNormalization against a naive reference: per (sample, channel)
// mean and biased variance over the spatial dims, constant and run-time
// scale/B, batch > 1, ranks 3 to 5, epsilon, opsets 1, 6 and 22, an input in
// a Conv's layout, and the errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

using Shape = std::vector<int64_t>;

std::vector<float> reference_instancenorm(const Shape& dims, const std::vector<float>& x, const std::vector<float>& s,
                                          const std::vector<float>& b, float eps) {
  const int64_t n = dims[0], c = dims[1];
  int64_t sp = 1;
  for (size_t i = 2; i < dims.size(); ++i) sp *= dims[i];
  std::vector<float> y(x.size());
  for (int64_t i = 0; i < n * c; ++i) {
    double mean = 0, var = 0;
    for (int64_t k = 0; k < sp; ++k) mean += x[i * sp + k];
    mean /= static_cast<double>(sp);
    for (int64_t k = 0; k < sp; ++k) var += (x[i * sp + k] - mean) * (x[i * sp + k] - mean);
    var /= static_cast<double>(sp);
    for (int64_t k = 0; k < sp; ++k)
      y[i * sp + k] = static_cast<float>(s[i % c] * (x[i * sp + k] - mean) / std::sqrt(var + eps) + b[i % c]);
  }
  return y;
}

void check_instancenorm(const Shape& dims, bool constant_params, float eps, int opset, uint32_t seed) {
  CAPTURE(dims.size());
  CAPTURE(constant_params);
  CAPTURE(opset);
  const size_t count = element_count(dims);
  const auto x = random_floats(count, seed, -3.0f, 5.0f);
  const auto s = random_floats(static_cast<size_t>(dims[1]), seed + 1, 0.5f, 2.0f);
  const auto b = random_floats(static_cast<size_t>(dims[1]), seed + 2);
  ModelBuilder mb(opset);
  mb.input("x", dims);
  std::vector<HostTensor> inputs = {HostTensor::floats("x", dims, x)};
  if (constant_params) {
    mb.initializer("s", {dims[1]}, s).initializer("b", {dims[1]}, b);
  } else {
    mb.input("s", {dims[1]}).input("b", {dims[1]});
    inputs.push_back(HostTensor::floats("s", {dims[1]}, s));
    inputs.push_back(HostTensor::floats("b", {dims[1]}, b));
  }
  mb.node("InstanceNormalization", {"x", "s", "b"}, {"y"}, {Attr("epsilon", eps)}).output("y");
  const RunResult r = run_model(mb.bytes(), inputs);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == dims);
  CHECK(max_abs_diff(r.outputs[0].f, reference_instancenorm(dims, x, s, b, eps)) < 1e-4);
}

}  // namespace

TEST_CASE("InstanceNormalization matches the reference") {
  uint32_t seed = 1;
  for (const Shape& dims : std::vector<Shape>{{2, 3, 7}, {3, 5, 4, 3}, {1, 4, 9, 11}, {2, 2, 3, 2, 5}})
    for (bool constant : {true, false})
      for (int opset : {1, 6, 22}) check_instancenorm(dims, constant, 1e-5f, opset, seed++ * 3);
  check_instancenorm({2, 3, 4, 4}, true, 0.3f, 6, 100);
  check_instancenorm({2, 3, 4, 4}, false, 0.3f, 6, 103);
}

TEST_CASE("InstanceNormalization reads a Conv output in the Conv's layout") {
  const int64_t c = 32;
  const std::vector<float> w = identity_conv_weights(c);
  const Shape dims = {2, c, 5, 6};
  const auto x = random_floats(2 * c * 30, 200);
  const auto s = random_floats(c, 201), b = random_floats(c, 202);
  ModelBuilder mb(13);
  mb.input("x", dims).initializer("w", {c, c, 1, 1}, w).initializer("s", {c}, s).initializer("b", {c}, b);
  mb.node("Conv", {"x", "w"}, {"t"}).node("InstanceNormalization", {"t", "s", "b"}, {"y"}).output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(max_abs_diff(r.outputs[0].f, reference_instancenorm(dims, x, s, b, 1e-5f)) < 1e-4);
}

TEST_CASE("InstanceNormalization errors name the node and the problem") {
  const std::string prefix = "<memory>: node 'in' (InstanceNormalization, domain ai.onnx, opset 13): ";
  SUBCASE("scale of the wrong size") {
    ModelBuilder mb(13);
    mb.input("x", {1, 3, 4, 4}).initializer("s", {2}, {1, 1}).initializer("b", {3}, {0, 0, 0});
    mb.node("InstanceNormalization", {"x", "s", "b"}, {"y"}, {}, "in").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "scale [2] must have shape [3] (the channels)");
  }
  SUBCASE("missing B") {
    ModelBuilder mb(13);
    mb.input("x", {1, 3, 4, 4}).initializer("s", {3}, {1, 1, 1});
    mb.node("InstanceNormalization", {"x", "s"}, {"y"}, {}, "in").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "expects 3 inputs, got 2");
  }
  SUBCASE("rank 2 input") {
    ModelBuilder mb(13);
    mb.input("x", {3, 4}).initializer("s", {4}, {1, 1, 1, 1}).initializer("b", {4}, {0, 0, 0, 0});
    mb.node("InstanceNormalization", {"x", "s", "b"}, {"y"}, {}, "in").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "input 0 ('x') must have rank 3 to 12, got shape [3,4]");
  }
}
