// Softmax against a naive reference, with both opset semantics: before 13
// the input is coerced to 2-D at `axis`; from 13 it is normalised along axis.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "softmax_groups.h"

using namespace cnnrt::test;

namespace {

// Softmax over each group (softmax_groups.h), max-shifted.
std::vector<float> reference_softmax(const std::vector<float>& x, const std::vector<int64_t>& dims, int64_t axis,
                                     bool coerce_2d) {
  std::vector<float> y(x.size());
  for_each_softmax_group(dims, axis, coerce_2d, [&](int64_t len, auto at) {
    double mx = -1e300, sum = 0;
    for (int64_t k = 0; k < len; ++k) mx = std::max(mx, static_cast<double>(x[at(k)]));
    for (int64_t k = 0; k < len; ++k) sum += std::exp(x[at(k)] - mx);
    for (int64_t k = 0; k < len; ++k) y[at(k)] = static_cast<float>(std::exp(x[at(k)] - mx) / sum);
  });
  return y;
}

void check_softmax(const std::vector<int64_t>& dims, int64_t opset, const int64_t* axis, uint32_t seed) {
  const size_t n = element_count(dims);
  const auto x = random_floats(n, seed, -20, 20);
  const int64_t rank = static_cast<int64_t>(dims.size());
  int64_t a = axis ? *axis : (opset >= 13 ? -1 : 1);
  ModelBuilder mb(opset);
  std::vector<Attr> attrs;
  if (axis) attrs.emplace_back("axis", *axis);
  mb.input("x", dims).node("Softmax", {"x"}, {"y"}, attrs).output("y");
  if (a < 0) a += rank;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == dims);
  CHECK(max_abs_diff(r.outputs[0].f, reference_softmax(x, dims, a, opset < 13)) < 1e-6);
}

}  // namespace

TEST_CASE("Softmax opset 13 normalises along each axis") {
  const std::vector<int64_t> dims = {2, 3, 5, 7};
  uint32_t seed = 1;
  for (int64_t axis = -4; axis < 4; ++axis) {
    CAPTURE(axis);
    check_softmax(dims, 13, &axis, seed++);
  }
  check_softmax(dims, 13, nullptr, seed++);  // default -1
  check_softmax({1, 1000}, 13, nullptr, seed++);
}

TEST_CASE("Softmax before opset 13 coerces to 2-D") {
  const std::vector<int64_t> dims = {2, 3, 4};
  uint32_t seed = 20;
  for (int64_t opset : {1, 11})
    for (int64_t axis : {0, 1, 2, -1}) {
      if (opset < 11 && axis < 0) continue;
      CAPTURE(opset);
      CAPTURE(axis);
      check_softmax(dims, opset, &axis, seed++);
    }
  check_softmax(dims, 11, nullptr, seed++);  // default 1
}

TEST_CASE("Softmax axis out of range") {
  ModelBuilder mb(13);
  mb.input("x", {2, 3}).node("Softmax", {"x"}, {"y"}, {Attr("axis", 2)}, "sm").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'sm' (Softmax, domain ai.onnx, opset 13): axis 2 is out of range for rank 2");
}
