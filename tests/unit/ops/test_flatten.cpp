// Flatten (an existing op) with the inputs the shape ops now feed it: every
// axis (negative from opset 11), every element type and the Conv layout,
// dynamic batches.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

TEST_CASE("Flatten: every axis, every element type and the Conv layout, dynamic batches") {
  const Index dims = {2, 8, 3, 5};
  for (Feed f : all_feeds(true))
    for (int64_t axis = -4; axis <= 4; ++axis) {
      const int64_t a = axis < 0 ? axis + 4 : axis;
      int64_t outer = 1;
      for (int64_t k = 0; k < a; ++k) outer *= dims[k];
      CAPTURE(axis);
      const FedReference ref = same_values({outer, count_of(dims) / outer});
      check_fed(f, dims, {}, 13, ref, [&](ModelBuilder& mb, const std::string& in) {
        mb.node("Flatten", {in}, {"y"}, {Attr("axis", axis)});
      });
    }
  for (int64_t n : {1, 3}) {
    const auto x = iota_floats(n * 12);
    const RunResult r = run_fed(Feed::f32, {-1, 3, 4}, {n, 3, 4}, x, 9,
                                [](ModelBuilder& mb, const std::string& in) { mb.node("Flatten", {in}, {"y"}); });
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == Index{n, 12});
    CHECK(r.outputs[0].f == x);
  }
}
