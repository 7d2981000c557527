// Identity and the tensors it passes through: every element type, the
// Conv layout (kept, not converted), constants (folded), dynamic shapes.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

TEST_CASE("Identity: every element type and the Conv layout, unchanged") {
  for (Feed f : all_feeds(true))
    for (int opset : {1, 13, 16}) {
      const Index dims = {2, 8, 3, 5};
      check_fed(f, dims, {}, opset, same_values(dims),
                [](ModelBuilder& mb, const std::string& in) { mb.node("Identity", {in}, {"y"}); });
    }
}

TEST_CASE("Identity: a constant input folds; a graph input is copied out") {
  ModelBuilder mb(13);
  const auto c = iota_floats(6, 10);
  mb.input("x", {-1, 2})
      .initializer("c", {3, 2}, c)
      .node("Identity", {"c"}, {"y1"})
      .node("Identity", {"x"}, {"y2"})
      .output("y1")
      .output("y2");
  for (int64_t n : {1, 4}) {
    const auto x = iota_floats(n * 2);
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 2}, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == c);
    CHECK(r.outputs[1].dims == Index{n, 2});
    CHECK(r.outputs[1].f == x);
  }
}
