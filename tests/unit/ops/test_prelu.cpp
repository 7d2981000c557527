// PRelu against a naive reference: slope shapes broadcast unidirectionally
// (opset 7+: scalar, per channel, trailing dims, full), the per-channel 1-D
// slope of opsets 1 and 6, constant and run-time slopes, after a Conv in its
// layout, and the errors a bad PRelu gives.
#include <doctest/doctest.h>

#include <algorithm>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

// slope_as: the slope's shape as broadcast against x.
std::vector<float> reference(const std::vector<float>& x, const Dims& xd, const std::vector<float>& s, const Dims& slope_as) {
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = x[i];
    y[i] = static_cast<float>(v >= 0 ? v : v * s[broadcast_offset(slope_as, xd, i)]);
  }
  return y;
}

void check(int opset, const Dims& xd, const Dims& sd, const Dims& slope_as, bool constant_slope) {
  CAPTURE(opset);
  CAPTURE(xd.size());
  CAPTURE(sd.size());
  CAPTURE(constant_slope);
  const auto x = random_floats(element_count(xd), 1, -2, 2);
  const auto s = random_floats(element_count(sd), 2, -1, 1);
  ModelBuilder mb(opset);
  mb.input("x", xd);
  if (constant_slope)
    mb.initializer("s", sd, s);
  else
    mb.input("s", sd);
  mb.node("PRelu", {"x", "s"}, {"y"}).output("y");
  std::vector<HostTensor> in = {HostTensor::floats("x", xd, x)};
  if (!constant_slope) in.push_back(HostTensor::floats("s", sd, s));
  const RunResult r = run_model(mb.bytes(), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == xd);
  CHECK(r.outputs[0].f == reference(x, xd, s, slope_as));
}

}  // namespace

TEST_CASE("PRelu opset 7+: the slope broadcasts to X") {
  const Dims x = {2, 3, 4, 5};
  const std::vector<Dims> slopes = {{}, {1}, {5}, {4, 5}, {3, 1, 1}, {3, 4, 5}, {2, 3, 4, 5}, {1, 3, 1, 5}};
  for (int opset : {7, 9, 16})
    for (const Dims& s : slopes)
      for (bool constant : {true, false}) check(opset, x, s, s, constant);
  check(16, {7}, {7}, {7}, true);
  check(16, {}, {}, {}, false);
  check(16, {3, 17}, {17}, {17}, false);
}

TEST_CASE("PRelu opsets 1 and 6: a 1-D slope is per channel") {
  for (int opset : {1, 6}) {
    check(opset, {2, 3, 4, 5}, {3}, {3, 1, 1}, true);
    check(opset, {2, 3, 4}, {3}, {3, 1}, false);
    check(opset, {2, 3, 4, 5, 6}, {1}, {1}, true);
    check(opset, {4, 5}, {5}, {5}, true);
  }
}

TEST_CASE("PRelu after a Conv keeps the Conv's layout") {
  const Dims xd = {1, 16, 6, 7};
  const auto x = random_floats(element_count(xd), 3, -1, 1);
  const auto w = random_floats(16 * 16, 4, -0.5f, 0.5f), s = random_floats(16, 5, 0, 0.5f);
  ModelBuilder mb(16);
  mb.input("x", xd).initializer("w", {16, 16, 1, 1}, w).initializer("s", {16, 1, 1}, s);
  mb.node("Conv", {"x", "w"}, {"c"}).node("PRelu", {"c", "s"}, {"y"}).output("y");
  const auto conv_exact = conv1x1_reference(xd, x, w, 16);
  const std::vector<float> conv(conv_exact.begin(), conv_exact.end());
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const auto want = reference(conv, xd, s, {16, 1, 1});
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
  const auto it = std::find(r.step_ops.begin(), r.step_ops.end(), "PRelu");
  REQUIRE(it != r.step_ops.end());
  CHECK(*(it - 1) == "Conv");
}

TEST_CASE("PRelu errors") {
  SUBCASE("a slope that does not broadcast to X") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {2, 3}, {}), HostTensor::floats("s", {4}, {})};
    const RunResult r = load_model(one_node_model("PRelu", 16, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (PRelu, domain ai.onnx, opset 16): the slope [4] cannot be broadcast to the "
                     "input [2,3]");
  }
  SUBCASE("a slope that would stretch X") {
    const std::vector<HostTensor> in = {HostTensor::floats("x", {3}, {}), HostTensor::floats("s", {2, 3}, {})};
    const RunResult r = load_model(one_node_model("PRelu", 16, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (PRelu, domain ai.onnx, opset 16): the slope [2,3] cannot be broadcast to the "
                     "input [3]");
  }
  SUBCASE("integer input") {
    const std::vector<HostTensor> in = {HostTensor::ints("x", {3}, {}), HostTensor::ints("s", {3}, {})};
    const RunResult r = load_model(one_node_model("PRelu", 16, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (PRelu, domain ai.onnx, opset 16): input 0 ('x') has element type int64; "
                     "supported: float");
  }
}
