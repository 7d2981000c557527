// LRN against a naive reference of the ONNX formula: odd and even sizes
// (even ones have an asymmetric window), sizes larger than the channel
// count, ranks 3 to 6, alpha/beta/bias, opsets 1 and 13, an input in a
// Conv's layout, and the errors a bad LRN must give.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

struct LrnCase {
  explicit LrnCase(std::vector<int64_t> d) : dims(std::move(d)) {}
  std::vector<int64_t> dims;
  int64_t size = 5;
  float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
  int opset = 13;
};

std::vector<float> reference_lrn(const LrnCase& lc, const std::vector<float>& x) {
  const int64_t n = lc.dims[0], c = lc.dims[1];
  int64_t spatial = 1;
  for (size_t i = 2; i < lc.dims.size(); ++i) spatial *= lc.dims[i];
  const int64_t before = (lc.size - 1) / 2, after = lc.size - 1 - before;  // floor / ceil of (size-1)/2
  std::vector<float> y(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t s = 0; s < spatial; ++s) {
        double sq = 0;
        for (int64_t k = std::max<int64_t>(0, ch - before); k <= std::min(c - 1, ch + after); ++k) {
          const double v = x[(b * c + k) * spatial + s];
          sq += v * v;
        }
        const size_t i = static_cast<size_t>((b * c + ch) * spatial + s);
        y[i] = static_cast<float>(x[i] / std::pow(lc.bias + lc.alpha / lc.size * sq, lc.beta));
      }
  return y;
}

std::string lrn_model(const LrnCase& lc) {
  ModelBuilder mb(lc.opset);
  mb.input("x", lc.dims)
      .node("LRN", {"x"}, {"y"},
            {Attr("size", lc.size), Attr("alpha", lc.alpha), Attr("beta", lc.beta), Attr("bias", lc.bias)}, "lrn")
      .output("y");
  return mb.bytes();
}

void check_lrn(const LrnCase& lc, uint32_t seed) {
  CAPTURE(lc.size);
  CAPTURE(lc.dims.size());
  CAPTURE(lc.opset);
  const size_t count = element_count(lc.dims);
  // Large enough values that the normalisation term matters.
  const auto x = random_floats(count, seed, -20.0f, 20.0f);
  const RunResult r = run_model(lrn_model(lc), {HostTensor::floats("x", lc.dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == lc.dims);
  CHECK(max_abs_diff(r.outputs[0].f, reference_lrn(lc, x)) < 1e-4);
}

}  // namespace

TEST_CASE("LRN matches the reference for odd and even sizes") {
  uint32_t seed = 1;
  for (int64_t size : {1, 2, 3, 4, 5, 6, 9, 12})
    for (int opset : {1, 13}) {
      LrnCase lc(std::vector<int64_t>{2, 7, 5, 3});
      lc.size = size;
      lc.alpha = 0.01f;
      lc.beta = 0.6f;
      lc.bias = 2.0f;
      lc.opset = opset;
      check_lrn(lc, seed++);
    }
}

TEST_CASE("LRN default alpha, beta, bias and ranks 3, 5 and 6") {
  uint32_t seed = 100;
  for (const auto& dims : std::vector<std::vector<int64_t>>{{1, 9, 11}, {2, 5, 3, 2, 3}, {1, 6, 2, 3, 2, 2}})
    for (int64_t size : {3, 4}) {
      LrnCase lc(dims);
      lc.size = size;
      lc.alpha = 1e-4f;
      lc.beta = 0.75f;
      lc.bias = 1.0f;
      check_lrn(lc, seed++);
    }
  // Attributes left at their defaults in the model itself.
  const std::vector<int64_t> dims = {1, 8, 4, 4};
  const auto x = random_floats(128, 150, -20.0f, 20.0f);
  ModelBuilder mb(13);
  mb.input("x", dims).node("LRN", {"x"}, {"y"}, {Attr("size", 3)}).output("y");
  LrnCase lc(dims);
  lc.size = 3;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(max_abs_diff(r.outputs[0].f, reference_lrn(lc, x)) < 1e-4);
}

TEST_CASE("LRN reads a Conv output in the Conv's layout") {
  const int64_t c = 32;
  const std::vector<float> w = identity_conv_weights(c);
  for (int64_t size : {5, 4}) {
    LrnCase lc(std::vector<int64_t>{2, c, 5, 6});
    lc.size = size;
    lc.alpha = 0.001f;
    const auto x = random_floats(2 * c * 30, 200 + static_cast<uint32_t>(size), -20.0f, 20.0f);
    ModelBuilder mb(13);
    mb.input("x", lc.dims)
        .initializer("w", {c, c, 1, 1}, w)
        .node("Conv", {"x", "w"}, {"t"})
        .node("LRN", {"t"}, {"y"}, {Attr("size", size), Attr("alpha", lc.alpha)})
        .output("y");
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", lc.dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(max_abs_diff(r.outputs[0].f, reference_lrn(lc, x)) < 1e-4);
  }
}

TEST_CASE("LRN errors name the node and the problem") {
  const std::string prefix = "<memory>: node 'lrn' (LRN, domain ai.onnx, opset 13): ";
  SUBCASE("missing size") {
    ModelBuilder mb(13);
    mb.input("x", {1, 3, 4, 4}).node("LRN", {"x"}, {"y"}, {}, "lrn").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "attribute 'size' is required");
  }
  SUBCASE("size 0") {
    LrnCase lc(std::vector<int64_t>{1, 3, 4, 4});
    lc.size = 0;
    const RunResult r = load_model(lrn_model(lc));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "size must be positive, got 0");
  }
  SUBCASE("rank 2 input") {
    LrnCase lc(std::vector<int64_t>{3, 4});
    const RunResult r = load_model(lrn_model(lc));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "input 0 ('x') must have rank 3 to 12, got shape [3,4]");
  }
}
