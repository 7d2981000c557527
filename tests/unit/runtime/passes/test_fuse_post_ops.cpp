// Activation fusion (runtime/passes/fuse_post_ops.cpp) with chains of
// activations: distinct ones all fold into the producer; one that repeats
// an eltwise algorithm already there stays a step of its own (oneDNN 2.6's
// jit post-ops would apply the first one's parameters to both); a binary
// op's own post-ops and a fused activation sharing an algorithm are split
// over two steps. Every result is checked against a naive reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

struct Act {
  std::string op;
  std::vector<Attr> attrs;
  std::function<double(double)> ref;
};

// x -> Conv 1x1 (16 -> 16) -> acts... ; returns the profile's op list.
std::vector<std::string> check_conv_chain(const std::vector<Act>& acts, int opset = 18) {
  const Dims xd = {1, 16, 6, 5};
  const auto x = random_floats(element_count(xd), 1, -1, 1);
  const auto w = random_floats(16 * 16, 2, -1.5f, 1.5f);
  ModelBuilder mb(opset);
  mb.input("x", xd).initializer("w", {16, 16, 1, 1}, w).node("Conv", {"x", "w"}, {"t0"});
  for (size_t k = 0; k < acts.size(); ++k)
    mb.node(acts[k].op, {"t" + std::to_string(k)}, {"t" + std::to_string(k + 1)}, acts[k].attrs);
  mb.output("t" + std::to_string(acts.size()));
  std::vector<float> want;
  for (double v : conv1x1_reference(xd, x, w, 16)) {
    for (const Act& a : acts) v = a.ref(v);
    want.push_back(static_cast<float>(v));
  }
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
  return r.step_ops;
}

bool has(const std::vector<std::string>& ops, const char* op) { return std::find(ops.begin(), ops.end(), op) != ops.end(); }

// Clip with attribute bounds: opsets before 11.
const Act kRelu6 = {"Clip", {Attr("min", 0.0f), Attr("max", 6.0f)}, [](double v) { return std::min(std::max(v, 0.0), 6.0); }};
const Act kHardSigmoid = {"HardSigmoid", {}, [](double v) { return std::max(0.0, std::min(1.0, 0.2 * v + 0.5)); }};
const Act kSigmoid = {"Sigmoid", {}, [](double v) { return 1 / (1 + std::exp(-v)); }};
const Act kTanh = {"Tanh", {}, [](double v) { return std::tanh(v); }};
const Act kRelu = {"Relu", {}, [](double v) { return std::max(v, 0.0); }};
const Act kLeaky = {"LeakyRelu", {Attr("alpha", 0.1f)}, [](double v) { return v >= 0 ? v : double(0.1f) * v; }};

}  // namespace

TEST_CASE("A chain of distinct activations folds entirely into the Conv") {
  const auto ops = check_conv_chain({kSigmoid, kTanh});
  CHECK_FALSE(has(ops, "Sigmoid"));
  CHECK_FALSE(has(ops, "Tanh"));
}

TEST_CASE("An activation repeating an eltwise algorithm already fused stays a step") {
  SUBCASE("Clip(0, 6) then HardSigmoid (both use eltwise_clip)") {
    const auto ops = check_conv_chain({kRelu6, kHardSigmoid}, 6);
    CHECK_FALSE(has(ops, "Clip"));
    CHECK(has(ops, "HardSigmoid"));
  }
  SUBCASE("Relu then LeakyRelu (both eltwise_relu)") {
    const auto ops = check_conv_chain({kRelu, kLeaky});
    CHECK_FALSE(has(ops, "Relu"));
    CHECK(has(ops, "LeakyRelu"));
  }
}

TEST_CASE("Sub computed as -(b - a) with a fused HardSigmoid splits the repeated linear post-op") {
  // Only b has the output's shape, so Sub runs as -(b - a) (a linear post-op);
  // the fused HardSigmoid starts with another linear: they must not share one
  // primitive.
  const auto a = random_floats(5, 3, -2, 2), b = random_floats(15, 4, -2, 2);
  ModelBuilder mb(14);
  mb.input("a", {5}).input("b", {3, 5}).node("Add", {"b", "b"}, {"bb"}).node("Mul", {"a", "a"}, {"aa"});
  mb.node("Sub", {"aa", "bb"}, {"d"}).node("HardSigmoid", {"d"}, {"y"}).output("y");
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", {5}, a), HostTensor::floats("b", {3, 5}, b)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK_FALSE(has(r.step_ops, "HardSigmoid"));
  std::vector<float> want;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 5; ++j) {
      const double d = static_cast<double>(a[j]) * a[j] - 2.0 * b[i * 5 + j];
      want.push_back(static_cast<float>(std::max(0.0, std::min(1.0, double(0.2f) * d + 0.5))));
    }
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 1e-6) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 1e-6));
}

TEST_CASE("Gemm -> HardSwish and Gemm -> Selu fuse") {
  check_after_producer("Gemm", "HardSwish", 14, {}, [](double v) { return v * std::max(0.0, std::min(1.0, v / 6 + 0.5)); },
                       true, 1e-5, 1e-5);
  check_after_producer("Gemm", "Selu", 14, {Attr("alpha", 1.5f), Attr("gamma", 0.5f)},
                       [](double v) { return 0.5 * (v > 0 ? v : 1.5 * std::expm1(v)); }, true, 1e-5, 1e-5);
}
