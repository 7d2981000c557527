// Clip against numpy.clip in every opset form: attribute bounds (opset 6),
// bound inputs that are constants (fusable), computed at run time, or
// omitted (opset 11+), min > max, integer types (opset 12+); fused into
// Conv and Gemm as ReLU6; and the errors a bad Clip gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_clip(const std::vector<float>& x, double lo, double hi) {
  std::vector<float> y;
  for (float v : x) y.push_back(static_cast<float>(std::min(std::max(static_cast<double>(v), lo), hi)));
  return y;
}

const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("Clip opset 1 and 6: min/max attributes, either or both absent") {
  struct Case {
    std::vector<Attr> attrs;
    double lo, hi;
  };
  const std::vector<Case> cases = {{{Attr("min", -0.5f), Attr("max", 0.75f)}, -0.5, 0.75},
                                   {{Attr("min", 0.25f)}, 0.25, kInf},
                                   {{Attr("max", -0.25f)}, -kInf, -0.25},
                                   {{}, -kInf, kInf}};
  for (int opset : {1, 6})
    for (const Case& c : cases) {
      CAPTURE(opset);
      CAPTURE(c.lo);
      CAPTURE(c.hi);
      for (const Dims& dims : {Dims{}, Dims{7}, Dims{2, 3, 5}}) {
        const auto x = random_floats(element_count(dims), 3, -2, 2);
        const RunResult r = run_model(one_node_model("Clip", opset, {HostTensor::floats("x", dims, x)}, c.attrs),
                                      {HostTensor::floats("x", dims, x)});
        REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
        CHECK(r.outputs[0].dims == dims);
        CHECK(r.outputs[0].f == reference_clip(x, c.lo, c.hi));
      }
    }
}

TEST_CASE("Clip opset 11+: constant bounds, omitted bounds, min > max") {
  struct Case {
    bool has_lo, has_hi;
    float lo, hi;
  };
  const std::vector<Case> cases = {
      {true, true, -0.5f, 0.5f}, {true, false, 0.1f, 0}, {false, true, 0, -0.2f}, {false, false, 0, 0},
      {true, true, 0.8f, -0.3f},  // min > max: everything becomes max
      {true, true, 0.3f, 0.3f}};
  for (int opset : {11, 12, 13})
    for (const Case& c : cases) {
      CAPTURE(opset);
      CAPTURE(c.lo);
      CAPTURE(c.hi);
      const Dims dims = {3, 1, 5, 2};
      const auto x = random_floats(element_count(dims), 4, -1, 1);
      ModelBuilder mb(opset);
      mb.input("x", dims);
      if (c.has_lo) mb.initializer("lo", {}, {c.lo});
      if (c.has_hi) mb.initializer("hi", {}, {c.hi});
      mb.node("Clip", {"x", c.has_lo ? "lo" : "", c.has_hi ? "hi" : ""}, {"y"}).output("y");
      const double lo = c.has_lo ? c.lo : -kInf, hi = c.has_hi ? c.hi : kInf;
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].f == reference_clip(x, lo, hi));
    }
}

TEST_CASE("Clip opset 13: bounds computed at run time") {
  for (const auto& bounds : std::vector<std::pair<float, float>>{{-0.3f, 0.6f}, {0.5f, -0.5f}}) {
    const Dims dims = {2, 3, 4, 5};
    const auto x = random_floats(element_count(dims), 5, -1, 1);
    const std::vector<HostTensor> in = {HostTensor::floats("x", dims, x), HostTensor::floats("lo", {}, {bounds.first}),
                                        HostTensor::floats("hi", {}, {bounds.second})};
    const RunResult r = run_model(one_node_model("Clip", 13, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == reference_clip(x, bounds.first, bounds.second));
    // Only one bound, given at run time.
    const std::vector<HostTensor> only_max = {HostTensor::floats("x", dims, x), HostTensor::floats("", {}, {}),
                                              HostTensor::floats("hi", {}, {bounds.second})};
    const RunResult r2 = run_model(one_node_model("Clip", 13, only_max), {only_max[0], only_max[2]});
    REQUIRE_MESSAGE(r2.status == CNNRT_OK, r2.error);
    CHECK(r2.outputs[0].f == reference_clip(x, -kInf, bounds.second));
  }
}

TEST_CASE("Clip on integer types (opset 12+) is exact") {
  SUBCASE("int32 with both bounds") {
    const std::vector<int32_t> x = {-2000000000, -5, 0, 7, 2000000001, 123456789};
    const std::vector<HostTensor> in = {HostTensor::typed("x", CNNRT_INT32, {6}, x),
                                        HostTensor::typed("lo", CNNRT_INT32, {}, std::vector<int32_t>{-5}),
                                        HostTensor::typed("hi", CNNRT_INT32, {}, std::vector<int32_t>{123456788})};
    const RunResult r = run_model(one_node_model("Clip", 13, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<int32_t>() == std::vector<int32_t>{-5, -5, 0, 7, 123456788, 123456788});
  }
  SUBCASE("int64 with only a min, uint8 with only a max") {
    const std::vector<int64_t> x = {-(int64_t{1} << 60), 3, (int64_t{1} << 61) + 1};
    const std::vector<HostTensor> in = {HostTensor::ints("x", {3}, x), HostTensor::ints("lo", {}, {4})};
    const RunResult r = run_model(one_node_model("Clip", 12, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{4, 4, (int64_t{1} << 61) + 1});
    const std::vector<HostTensor> in8 = {HostTensor::typed("x", CNNRT_UINT8, {4}, std::vector<uint8_t>{0, 9, 200, 255}),
                                         HostTensor::typed("", CNNRT_UINT8, {}, std::vector<uint8_t>{}),
                                         HostTensor::typed("hi", CNNRT_UINT8, {}, std::vector<uint8_t>{100})};
    const RunResult r8 = run_model(one_node_model("Clip", 13, in8), {in8[0], in8[2]});
    REQUIRE_MESSAGE(r8.status == CNNRT_OK, r8.error);
    CHECK(r8.outputs[0].as<uint8_t>() == std::vector<uint8_t>{0, 9, 100, 100});
  }
}

TEST_CASE("Clip(0, 6) after Conv and Gemm is fused as a post-op") {
  for (const char* producer : {"Conv", "Gemm"})
    check_after_producer(producer, "Clip", 6, {Attr("min", 0.0f), Attr("max", 6.0f)},
                         [](double v) { return std::min(std::max(v, 0.0), 6.0); }, true, 1e-5, 1e-4);
  // Opset 11+ with constant bound inputs fuses too.
  ModelBuilder mb(13);
  const auto x = random_floats(2 * 8 * 5 * 5, 6, -3, 3);
  const auto w = random_floats(8 * 8, 7, -1, 1);
  mb.input("x", {2, 8, 5, 5}).initializer("w", {8, 8, 1, 1}, w).initializer("lo", {}, {0.0f}).initializer("hi", {}, {0.5f});
  mb.node("Conv", {"x", "w"}, {"t"}).node("Clip", {"t", "lo", "hi"}, {"y"}).output("y");
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {2, 8, 5, 5}, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(std::find(r.step_ops.begin(), r.step_ops.end(), "Clip") == r.step_ops.end());
  std::vector<float> want;
  for (double v : conv1x1_reference({2, 8, 5, 5}, x, w, 8))
    want.push_back(static_cast<float>(std::min(std::max(v, 0.0), 0.5)));
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
}

TEST_CASE("Clip errors") {
  SUBCASE("a bound that is not a scalar") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {3}, {}), HostTensor::floats("lo", {2}, {})};
    const RunResult r = load_model(one_node_model("Clip", 13, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Clip, domain ai.onnx, opset 13): min must be a scalar, got shape [2]");
  }
  SUBCASE("a bound of another type") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {3}, {}), HostTensor::floats("", {}, {}),
                                        HostTensor::ints("hi", {}, {})};
    const RunResult r = load_model(one_node_model("Clip", 13, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Clip, domain ai.onnx, opset 13): max has type int64, the input float");
  }
  SUBCASE("attribute bounds from opset 11") {
    const RunResult r = load_model(one_node_model("Clip", 11, {HostTensor::floats("x", {3}, {})}, {Attr("min", 0.0f)}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Clip, domain ai.onnx, opset 11): from opset 11 the bounds are inputs, not "
                     "attributes min/max");
  }
  SUBCASE("integer input before opset 12") {
    const RunResult r = load_model(one_node_model("Clip", 11, {HostTensor::ints("x", {3}, {})}));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (Clip, domain ai.onnx, opset 11): input 0 has element type int64; "
                     "supported: float");
  }
}
