// Hardmax against a naive reference: both opset semantics (2-D coercion
// before 13, one axis from 13), every axis incl. negative ones, ties (only
// the first maximum is marked), ranks 1 to 4, and the errors.
#include <doctest/doctest.h>

#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "softmax_groups.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_hardmax(const std::vector<int64_t>& dims, const std::vector<float>& x, int64_t axis,
                                     bool coerce_2d) {
  std::vector<float> y(x.size(), 0.0f);
  for_each_softmax_group(dims, axis, coerce_2d, [&](int64_t len, auto at) {
    int64_t best = 0;
    for (int64_t k = 1; k < len; ++k)
      if (x[at(k)] > x[at(best)]) best = k;
    y[at(best)] = 1.0f;
  });
  return y;
}

void check_hardmax(const std::vector<int64_t>& dims, int opset, const int64_t* axis, uint32_t seed) {
  CAPTURE(opset);
  CAPTURE(dims.size());
  CAPTURE(axis ? *axis : 999);
  const size_t n = element_count(dims);
  std::vector<float> x = random_floats(n, seed, 0.0f, 3.0f);
  for (float& v : x) v = static_cast<float>(static_cast<int>(v));  // ties
  std::vector<Attr> attrs;
  if (axis) attrs.emplace_back("axis", *axis);
  ModelBuilder mb(opset);
  mb.input("x", dims).node("Hardmax", {"x"}, {"y"}, attrs).output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == dims);
  CHECK(r.outputs[0].f == reference_hardmax(dims, x, axis ? *axis : (opset >= 13 ? -1 : 1), opset < 13));
}

}  // namespace

TEST_CASE("Hardmax along each axis, both opset semantics, with ties") {
  uint32_t seed = 1;
  for (int opset : {1, 11, 13})
    for (int64_t axis = -4; axis < 4; ++axis) check_hardmax({3, 4, 5, 2}, opset, &axis, seed++);
  for (int opset : {11, 13}) {
    check_hardmax({3, 7}, opset, nullptr, seed++);
    check_hardmax({2, 3, 5}, opset, nullptr, seed++);
  }
  check_hardmax({9}, 13, nullptr, seed++);
}

TEST_CASE("Hardmax errors name the node and the problem") {
  ModelBuilder mb(13);
  mb.input("x", {2, 3}).node("Hardmax", {"x"}, {"y"}, {Attr("axis", 2)}, "hm").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'hm' (Hardmax, domain ai.onnx, opset 13): axis 2 is out of range for rank 2");
}
