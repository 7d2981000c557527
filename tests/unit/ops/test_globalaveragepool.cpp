// GlobalAveragePool against a naive mean over the spatial dims: 1 to 4
// spatial dims with odd sizes, batch > 1, an input arriving in a blocked
// layout from a Conv, and the error for an input without spatial dims.
#include <doctest/doctest.h>

#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_global_mean(const std::vector<int64_t>& dims, const std::vector<float>& x) {
  const int64_t planes = dims[0] * dims[1];
  int64_t spatial = 1;
  for (size_t i = 2; i < dims.size(); ++i) spatial *= dims[i];
  std::vector<float> y(static_cast<size_t>(planes));
  for (int64_t p = 0; p < planes; ++p) {
    double acc = 0;
    for (int64_t s = 0; s < spatial; ++s) acc += x[p * spatial + s];
    y[p] = static_cast<float>(acc / static_cast<double>(spatial));
  }
  return y;
}

std::vector<int64_t> pooled_dims(std::vector<int64_t> dims) {
  for (size_t i = 2; i < dims.size(); ++i) dims[i] = 1;
  return dims;
}

// A 1x1 Conv with identity weights: passes x through unchanged but in the
// layout oneDNN picks for convolutions (blocked or channels-last).
std::vector<float> identity_weights(int64_t c) {
  std::vector<float> w(static_cast<size_t>(c * c), 0.f);
  for (int64_t i = 0; i < c; ++i) w[i * c + i] = 1.f;
  return w;
}

}  // namespace

TEST_CASE("GlobalAveragePool matches the reference for 1 to 4 spatial dims") {
  const std::vector<std::vector<int64_t>> shapes = {
      {2, 3, 7}, {1, 5, 9, 11}, {3, 2, 1, 13}, {2, 3, 3, 5, 4}, {1, 2, 3, 2, 5, 3}};
  uint32_t seed = 1;
  for (const auto& dims : shapes)
    for (int opset : {1, 13, 22}) {
      CAPTURE(dims.size());
      CAPTURE(opset);
      size_t n = 1;
      for (auto d : dims) n *= static_cast<size_t>(d);
      const auto x = random_floats(n, seed++);
      ModelBuilder mb(opset);
      mb.input("x", dims).node("GlobalAveragePool", {"x"}, {"y"}).output("y");
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == pooled_dims(dims));
      CHECK(max_abs_diff(r.outputs[0].f, reference_global_mean(dims, x)) < 1e-5);
    }
}

TEST_CASE("GlobalAveragePool reads a Conv output in the Conv's layout") {
  const std::vector<int64_t> dims = {2, 32, 7, 9};
  const auto x = random_floats(2 * 32 * 7 * 9, 11);
  ModelBuilder mb(13);
  mb.input("x", dims)
      .initializer("w", {32, 32, 1, 1}, identity_weights(32))
      .node("Conv", {"x", "w"}, {"c"})
      .node("GlobalAveragePool", {"c"}, {"y"})
      .output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == pooled_dims(dims));
  CHECK(max_abs_diff(r.outputs[0].f, reference_global_mean(dims, x)) < 1e-5);
}

TEST_CASE("GlobalAveragePool with a dynamic batch runs at several batch sizes") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3, 5, 5}).node("GlobalAveragePool", {"x"}, {"y"}).output("y");
  for (int64_t n : {1, 4, 2}) {
    const std::vector<int64_t> dims = {n, 3, 5, 5};
    const auto x = random_floats(static_cast<size_t>(n * 75), 20 + static_cast<uint32_t>(n));
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == pooled_dims(dims));
    CHECK(max_abs_diff(r.outputs[0].f, reference_global_mean(dims, x)) < 1e-5);
  }
}

TEST_CASE("GlobalAveragePool refuses an input without spatial dims") {
  ModelBuilder mb(13);
  mb.input("x", {2, 3}).node("GlobalAveragePool", {"x"}, {"y"}, {}, "gap").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error ==
        "<memory>: node 'gap' (GlobalAveragePool, domain ai.onnx, opset 13): input 0 ('x') must have rank 3 to 12, "
        "got shape [2,3]");
}
