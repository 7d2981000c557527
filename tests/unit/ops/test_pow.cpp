// Pow against std::pow: a constant exponent (eltwise_pow, fusable), tensor
// exponents with broadcasting (the composed path: negative bases with odd,
// even and fractional exponents, zeros, infinities, NaN), legacy opset 1
// broadcasting, integer bases and exponents of every mix, and errors.
#include <doctest/doctest.h>

#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return std::pow(static_cast<float>(a), static_cast<float>(b)); }

}  // namespace

TEST_CASE("Pow with a tensor exponent broadcasts like numpy") {
  // Positive bases: |y * log x| stays below ~15, where exp/log keep 1e-5.
  for (int opset : {7, 12, 13, 15})
    for (const auto& c : broadcast_cases()) check_binary("Pow", opset, {}, c.first, c.second, ref, 0.05f, 4, -2, 2, 1e-6, 5e-5);
}

TEST_CASE("Pow opset 1: the broadcast and axis attributes") {
  const Dims b_as = {1, 3, 1};
  check_binary("Pow", 1, {Attr("broadcast", 1), Attr("axis", 1)}, {2, 3, 4}, {3}, ref, 0.1f, 3, -2, 2, 1e-6, 5e-5, &b_as);
}

TEST_CASE("Pow with a tensor exponent: signs, integers, zeros, infinities and NaN") {
  // The composed path is accurate to about |y| * 1.5e-6 relative (oneDNN's
  // log is off by ~1.4e-6 in absolute terms), so exponents stay moderate.
  const std::vector<float> x = {-2, -2, -2, -0.5f, 0, 0, 0, 2, 3, NAN, INFINITY, -INFINITY, 1e-3f, 4, -8, 5, -3, 7, 1};
  const std::vector<float> y = {2, 3, 0.5f, -1, 0, 2, -1, 10, -2, 2, -1, 3, 0.5f, 0.5f, 1.0f / 3, 0, 4, 1, 10};
  std::vector<float> want;
  for (size_t i = 0; i < x.size(); ++i) want.push_back(std::pow(x[i], y[i]));
  const Dims d = {static_cast<int64_t>(x.size())};
  const std::vector<HostTensor> in = {HostTensor::floats("x", d, x), HostTensor::floats("p", d, y)};
  const RunResult r = run_model(one_node_model("Pow", 15, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 5e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 5e-5));
}

TEST_CASE("Pow with a constant exponent runs as eltwise_pow and fuses") {
  for (float e : {2.0f, 3.0f, 0.5f, -1.0f, -2.0f, 1.7f, 0.0f}) {
    CAPTURE(e);
    for (const Dims& dims : {Dims{}, Dims{9}, Dims{2, 3, 5}}) {
      const auto x = random_floats(element_count(dims), 2, -3, 3);
      ModelBuilder mb(13);
      mb.input("x", dims).initializer("e", {}, {e}).node("Pow", {"x", "e"}, {"y"}).output("y");
      std::vector<float> want;
      for (float v : x) want.push_back(std::pow(v, e));
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 1e-5));
    }
  }
  // After a Conv: x^2 becomes a post-op (an int64 exponent works too).
  ModelBuilder mb(13);
  const auto x = random_floats(2 * 4 * 3 * 3, 3, -1, 1);
  const auto w = random_floats(4 * 4, 4, -1, 1);
  mb.input("x", {2, 4, 3, 3}).initializer("w", {4, 4, 1, 1}, w).initializer_i64("e", {1}, {2});
  mb.node("Conv", {"x", "w"}, {"t"}).node("Pow", {"t", "e"}, {"y"}).output("y");
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {2, 4, 3, 3}, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(std::find(r.step_ops.begin(), r.step_ops.end(), "Pow") == r.step_ops.end());
  std::vector<float> want;
  for (double v : conv1x1_reference({2, 4, 3, 3}, x, w, 4)) want.push_back(static_cast<float>(v * v));
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
}

TEST_CASE("Pow with a constant exponent that broadcasts the base") {
  ModelBuilder mb(13);
  mb.input("x", {3}).initializer("e", {2, 1}, {2.0f, 2.0f}).node("Pow", {"x", "e"}, {"y"}).output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {3}, {1, -2, 3})});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == Dims{2, 3});
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, {1, 4, 9, 1, 4, 9}, 1e-5, 1e-5) == "",
                first_mismatch(r.outputs[0].f, {1, 4, 9, 1, 4, 9}, 1e-5, 1e-5));
}

TEST_CASE("Pow with integer bases and exponents (opset 12+)") {
  SUBCASE("int64 ^ int64, wrapping, negative exponents") {
    const std::vector<HostTensor> in = {HostTensor::ints("x", {6}, {2, -3, 3, 1, -1, 2}),
                                        HostTensor::ints("p", {6}, {62, 3, 41, -5, -3, -1})};
    const RunResult r = run_model(one_node_model("Pow", 15, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    int64_t three41 = 1;
    for (int i = 0; i < 41; ++i) three41 = static_cast<int64_t>(static_cast<uint64_t>(three41) * 3u);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{int64_t{1} << 62, -27, three41, 1, -1, 0});
  }
  SUBCASE("int32 ^ float32 truncates") {
    const std::vector<HostTensor> in = {HostTensor::typed("x", CNNRT_INT32, {3}, std::vector<int32_t>{2, 9, 10}),
                                        HostTensor::floats("p", {3}, {0.5f, 0.5f, 2.0f})};
    const RunResult r = run_model(one_node_model("Pow", 15, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<int32_t>() == std::vector<int32_t>{1, 3, 100});
  }
  SUBCASE("float32 ^ int64 and ^ uint8 with broadcasting") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {2, 2}, {-2, 3, 0.5f, -1.5f}), HostTensor::ints("p", {2}, {3, 2})};
    const RunResult r = run_model(one_node_model("Pow", 15, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    const std::vector<float> want = {-8, 9, 0.125f, 2.25f};
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-6, 2e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-6, 2e-5));
    const std::vector<HostTensor> in8 = {HostTensor::floats("x", {3}, {-2, 3, 0.5f}),
                                         HostTensor::typed("p", CNNRT_UINT8, {}, std::vector<uint8_t>{5})};
    const RunResult r8 = run_model(one_node_model("Pow", 15, in8), in8);
    REQUIRE_MESSAGE(r8.status == CNNRT_OK, r8.error);
    const std::vector<float> want8 = {-32, 243, 0.03125f};
    CHECK_MESSAGE(first_mismatch(r8.outputs[0].f, want8, 1e-6, 2e-5) == "", first_mismatch(r8.outputs[0].f, want8, 1e-6, 2e-5));
  }
}

TEST_CASE("Pow errors") {
  SUBCASE("integer inputs before opset 12") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {2}, {}), HostTensor::ints("p", {2}, {})};
    const RunResult r = load_model(one_node_model("Pow", 7, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Pow, domain ai.onnx, opset 7): before opset 12 both inputs must be float, "
                     "got float and int64");
  }
  SUBCASE("bool exponent") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {2}, {}),
                                        HostTensor::typed("p", CNNRT_BOOL, {2}, std::vector<uint8_t>{})};
    const RunResult r = load_model(one_node_model("Pow", 15, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (Pow, domain ai.onnx, opset 15): element types float ^ bool; supported: "
                     "float and integer types");
  }
  SUBCASE("shapes that do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {2}, {}), HostTensor::floats("p", {3}, {})};
    const RunResult r = load_model(one_node_model("Pow", 15, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Pow, domain ai.onnx, opset 15): shapes [2] and [3] cannot be broadcast "
                     "together (dim 0: 2 vs 3)");
  }
}
