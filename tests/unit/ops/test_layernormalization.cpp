// LayerNormalization against a naive reference: every axis, with and
// without B, full-shape and broadcast Scale/B, constant and run-time
// parameters; the training outputs are refused.
#include <doctest/doctest.h>

#include <cmath>

#include "support/elementwise.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

// Scale/B given over the normalised tail dims, broadcast numpy-style.
float param_at(const std::vector<float>& p, const std::vector<int64_t>& pdims, const std::vector<int64_t>& tail,
               int64_t k) {
  int64_t rest = k, src = 0, stride = 1;
  for (size_t d = tail.size(); d-- > 0;) {
    const int64_t coord = rest % tail[d];
    rest /= tail[d];
    const size_t from_end = tail.size() - d;
    if (from_end <= pdims.size()) {
      const int64_t pd = pdims[pdims.size() - from_end];
      src += (pd == 1 ? 0 : coord) * stride;
      stride *= pd;
    }
  }
  return p[static_cast<size_t>(src)];
}

std::vector<float> reference(const std::vector<float>& x, const std::vector<int64_t>& dims, int64_t axis, float eps,
                             const std::vector<float>& scale, const std::vector<int64_t>& sdims,
                             const std::vector<float>* b, const std::vector<int64_t>& bdims) {
  const std::vector<int64_t> tail(dims.begin() + axis, dims.end());
  int64_t inner = 1;
  for (auto d : tail) inner *= d;
  const int64_t outer = static_cast<int64_t>(x.size()) / inner;
  std::vector<float> y(x.size());
  for (int64_t o = 0; o < outer; ++o) {
    double mean = 0, var = 0;
    for (int64_t k = 0; k < inner; ++k) mean += x[o * inner + k];
    mean /= static_cast<double>(inner);
    for (int64_t k = 0; k < inner; ++k) var += (x[o * inner + k] - mean) * (x[o * inner + k] - mean);
    var /= static_cast<double>(inner);
    for (int64_t k = 0; k < inner; ++k) {
      double v = (x[o * inner + k] - mean) / std::sqrt(var + eps) * param_at(scale, sdims, tail, k);
      if (b) v += param_at(*b, bdims, tail, k);
      y[o * inner + k] = static_cast<float>(v);
    }
  }
  return y;
}

}  // namespace

TEST_CASE("LayerNormalization over every axis, with and without B, constant or run-time parameters") {
  const std::vector<int64_t> dims = {2, 3, 4, 5};
  const auto x = random_floats(120, 1, -3, 3);
  uint32_t seed = 10;
  for (int64_t axis : {-1, -2, 1, 0})
    for (bool with_b : {true, false})
      for (bool constant : {true, false}) {
        const int64_t a = axis < 0 ? axis + 4 : axis;
        const std::vector<int64_t> pdims(dims.begin() + a, dims.end());
        const size_t pn = element_count(pdims);
        const auto scale = random_floats(pn, seed++, 0.5f, 2.0f), b = random_floats(pn, seed++);
        ModelBuilder mb(17);
        std::vector<HostTensor> feeds = {HostTensor::floats("x", dims, x)};
        mb.input("x", dims);
        if (constant) {
          mb.initializer("s", pdims, scale);
          if (with_b) mb.initializer("b", pdims, b);
        } else {
          mb.input("s", pdims);
          feeds.push_back(HostTensor::floats("s", pdims, scale));
          if (with_b) {
            mb.input("b", pdims);
            feeds.push_back(HostTensor::floats("b", pdims, b));
          }
        }
        std::vector<std::string> in = {"x", "s"};
        if (with_b) in.push_back("b");
        mb.node("LayerNormalization", in, {"y"}, {Attr("axis", axis), Attr("epsilon", 1e-3f)}).output("y");
        CAPTURE(axis);
        CAPTURE(with_b);
        CAPTURE(constant);
        const RunResult r = run_model(mb.bytes(), feeds);
        REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
        const auto want = reference(x, dims, a, 1e-3f, scale, pdims, with_b ? &b : nullptr, pdims);
        CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4));
      }
}

TEST_CASE("LayerNormalization with constant Scale and B broadcast over the normalised dims") {
  const std::vector<int64_t> dims = {3, 4, 6};
  const auto x = random_floats(72, 2, -2, 2);
  const std::vector<float> scale = random_floats(6, 3, 0.5f, 2.0f), b = random_floats(4, 4);
  ModelBuilder mb(17);
  mb.input("x", dims).initializer("s", {1, 6}, scale).initializer("b", {4, 1}, b);
  mb.node("LayerNormalization", {"x", "s", "b"}, {"y"}, {Attr("axis", 1)}).output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const auto want = reference(x, dims, 1, 1e-5f, scale, {1, 6}, &b, {4, 1});
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4));
}

TEST_CASE("LayerNormalization's Mean and InvStdDev outputs") {
  const std::vector<int64_t> dims = {3, 2, 5};
  const auto x = random_floats(30, 7, -2, 2);
  ModelBuilder mb(17);
  mb.input("x", dims).initializer("s", {2, 5}, std::vector<float>(10, 1.f));
  mb.node("LayerNormalization", {"x", "s"}, {"y", "mean", "inv"}, {Attr("axis", 1), Attr("epsilon", 0.5f)});
  mb.output("y").output("mean").output("inv");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  REQUIRE(r.outputs.size() == 3);
  CHECK(r.outputs[1].dims == std::vector<int64_t>{3, 1, 1});
  CHECK(r.outputs[2].dims == std::vector<int64_t>{3, 1, 1});
  for (int64_t o = 0; o < 3; ++o) {
    double mean = 0, var = 0;
    for (int64_t k = 0; k < 10; ++k) mean += x[o * 10 + k];
    mean /= 10;
    for (int64_t k = 0; k < 10; ++k) var += (x[o * 10 + k] - mean) * (x[o * 10 + k] - mean);
    var /= 10;
    CHECK(r.outputs[1].f[o] == doctest::Approx(mean).epsilon(1e-5));
    CHECK(r.outputs[2].f[o] == doctest::Approx(1.0 / std::sqrt(var + 0.5)).epsilon(1e-5));
  }
}

TEST_CASE("LayerNormalization errors") {
  SUBCASE("Scale of the wrong shape") {
    ModelBuilder mb(17);
    mb.input("x", {2, 4}).initializer("s", {3}, std::vector<float>(3, 1.f));
    mb.node("LayerNormalization", {"x", "s"}, {"y"}, {}, "ln").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'ln' (LayerNormalization, domain ai.onnx, opset 17): Scale [3] does not "
                     "broadcast to the normalised dims of [2,4]");
  }
}
