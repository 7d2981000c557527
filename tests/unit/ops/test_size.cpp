// Size against a naive reference (the element count as an int64 scalar),
// for every element type and dynamic shapes; it folds like Shape.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

TEST_CASE("Size: element count of every element type, scalars and empty tensors") {
  for (Feed f : all_feeds(true))
    for (int opset : {1, 13}) {
      const Index dims = {2, 3, 4, 5};
      ModelBuilder mb(opset);
      const std::string in = feed_input(mb, f, "x", dims);
      mb.node("Size", {in}, {"y"}).output("y");
      const RunResult r = run_model(mb.bytes(), {feed_tensor(f, "x", dims, feed_values(f, count_of(dims)))});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims.empty());
      CHECK(r.outputs[0].i64 == std::vector<int64_t>{count_of(dims)});
    }
  for (const Index& dims : {Index{}, Index{3, 0, 2}, Index{7}}) {
    ModelBuilder mb(13);
    mb.input("x", dims).node("Size", {"x"}, {"y"}).output("y");
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, std::vector<float>(count_of(dims), 1.0f))});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{count_of(dims)});
  }
}

TEST_CASE("Size: a dynamic batch") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3, -1}).node("Size", {"x"}, {"y"}).output("y");
  for (const Index& dims : {Index{1, 3, 2}, Index{4, 3, 5}}) {
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, std::vector<float>(count_of(dims), 0.5f))});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{count_of(dims)});
  }
}
