// LogSoftmax against a naive, max-shifted reference: both opset semantics
// (before 13: 2-D coercion at axis; from 13: along one axis), every axis
// incl. negative ones, ranks 1 to 5, large inputs (relative tolerance: the
// outputs reach -2000), and the errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "softmax_groups.h"

using namespace cnnrt::test;

namespace {

// log_softmax over each group (softmax_groups.h), max-shifted.
std::vector<float> reference_logsoftmax(const std::vector<int64_t>& dims, const std::vector<float>& x, int64_t axis,
                                        bool coerce_2d) {
  std::vector<float> y(x.size());
  for_each_softmax_group(dims, axis, coerce_2d, [&](int64_t len, auto at) {
    double m = x[at(0)];
    for (int64_t k = 1; k < len; ++k) m = std::max(m, static_cast<double>(x[at(k)]));
    double s = 0;
    for (int64_t k = 0; k < len; ++k) s += std::exp(x[at(k)] - m);
    for (int64_t k = 0; k < len; ++k) y[at(k)] = static_cast<float>(x[at(k)] - m - std::log(s));
  });
  return y;
}

void check_logsoftmax(const std::vector<int64_t>& dims, int opset, const int64_t* axis, uint32_t seed,
                      float scale = 3.0f) {
  CAPTURE(opset);
  CAPTURE(dims.size());
  CAPTURE(axis ? *axis : 999);
  const size_t n = element_count(dims);
  const auto x = random_floats(n, seed, -scale, scale);
  std::vector<Attr> attrs;
  if (axis) attrs.emplace_back("axis", *axis);
  ModelBuilder mb(opset);
  mb.input("x", dims).node("LogSoftmax", {"x"}, {"y"}, attrs).output("y");
  const int64_t used_axis = axis ? *axis : (opset >= 13 ? -1 : 1);
  const auto want = reference_logsoftmax(dims, x, used_axis, opset < 13);
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == dims);
  double scale_of_want = 1;
  for (float v : want) scale_of_want = std::max(scale_of_want, static_cast<double>(std::fabs(v)));
  CHECK(max_abs_diff(r.outputs[0].f, want) < 2e-6 * scale_of_want + 1e-5);
}

}  // namespace

TEST_CASE("LogSoftmax along each axis, both opset semantics") {
  uint32_t seed = 1;
  const std::vector<int64_t> dims = {3, 4, 5, 2};
  for (int opset : {1, 11, 13, 18})
    for (int64_t axis = -4; axis < 4; ++axis) check_logsoftmax(dims, opset, &axis, seed++);
}

TEST_CASE("LogSoftmax default axis and ranks 1 to 5") {
  uint32_t seed = 100;
  for (int opset : {11, 13})
    for (const auto& dims : std::vector<std::vector<int64_t>>{{3, 9}, {2, 3, 5}, {2, 3, 1, 5, 3}})
      check_logsoftmax(dims, opset, nullptr, seed++);
  check_logsoftmax({7}, 13, nullptr, seed++);  // before 13 the default axis 1 needs rank 2
}

TEST_CASE("LogSoftmax does not overflow on large inputs") {
  const int64_t axis = 1;
  check_logsoftmax({3, 17}, 13, &axis, 200, 1000.0f);
  check_logsoftmax({3, 17}, 11, &axis, 201, 1000.0f);
}

TEST_CASE("LogSoftmax errors name the node and the problem") {
  for (int opset : {11, 13}) {
    const int64_t axis = opset >= 13 ? 3 : 4;
    ModelBuilder mb(opset);
    mb.input("x", {2, 3, 4}).node("LogSoftmax", {"x"}, {"y"}, {Attr("axis", axis)}, "ls").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'ls' (LogSoftmax, domain ai.onnx, opset " + std::to_string(opset) + "): axis " +
                         std::to_string(axis) + " is out of range for rank 3");
  }
}
