// Shape against a naive reference (start/end from opset 15, negative and
// out-of-range bounds clamped), and the shape chains exporters write for
// flatten/view (Shape -> Gather -> Unsqueeze -> Concat -> Reshape): they
// fold at load for a static shape and at plan time for a dynamic batch, so
// a profiled run shows none of those ops.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

Index reference_shape(const Index& x, int64_t start, int64_t end) {
  const int64_t r = static_cast<int64_t>(x.size());
  auto clamp = [r](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + r : v, 0, r); };
  start = clamp(start);
  end = std::max(clamp(end), start);
  return Index(x.begin() + start, x.begin() + end);
}

void check_shape(const Index& dims, Feed f, int opset, const std::vector<Attr>& attrs, int64_t start, int64_t end,
                 const Index& decl = {}) {
  ModelBuilder mb(opset);
  const std::string in = feed_input(mb, f, "x", decl.empty() ? dims : decl);
  mb.node("Shape", {in}, {"y"}, attrs).output("y");
  const RunResult r = run_model(mb.bytes(), {feed_tensor(f, "x", dims, feed_values(f, count_of(dims)))});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const Index want = reference_shape(dims, start, end);
  CHECK(r.outputs[0].dtype == CNNRT_INT64);
  CHECK(r.outputs[0].dims == Index{static_cast<int64_t>(want.size())});
  CHECK(r.outputs[0].i64 == want);
}

// x [N, 3, 4, 5] -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])) -> Relu -> y [N, 60]
std::string flatten_chain_model(int opset, int64_t batch) {
  ModelBuilder mb(opset);
  mb.input("x", {batch, 3, 4, 5})
      .initializer_i64("zero", {}, {0})
      .initializer_i64("minus_one", {1}, {-1})
      .node("Shape", {"x"}, {"shape"})
      .node("Gather", {"shape", "zero"}, {"n"}, {Attr("axis", int64_t{0})});
  if (opset >= 13)
    mb.initializer_i64("axes", {1}, {0}).node("Unsqueeze", {"n", "axes"}, {"n1"});
  else
    mb.node("Unsqueeze", {"n"}, {"n1"}, {Attr("axes", ints({0}))});
  mb.node("Concat", {"n1", "minus_one"}, {"target"}, {Attr("axis", int64_t{0})})
      .node("Reshape", {"x", "target"}, {"flat"})
      .node("Relu", {"flat"}, {"y"})
      .output("y");
  return mb.bytes();
}

}  // namespace

TEST_CASE("Shape: every dim, every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) check_shape({2, 3, 4, 5}, f, 13, {}, 0, 4);
  check_shape({}, Feed::f32, 13, {}, 0, 0);  // a scalar has shape []
  check_shape({0, 7}, Feed::i64, 1, {}, 0, 2);
}

TEST_CASE("Shape: start and end (opset 15), negative and clamped") {
  const Index x = {2, 3, 4, 5};
  for (int64_t start : {-6, -4, -1, 0, 1, 3, 4, 9})
    for (int64_t end : {-9, -2, 0, 2, 4, 7}) {
      CAPTURE(start);
      CAPTURE(end);
      check_shape(x, Feed::f32, 15, {Attr("start", start), Attr("end", end)}, start, end);
    }
  check_shape(x, Feed::f32, 15, {Attr("start", int64_t{2})}, 2, 4);
  check_shape(x, Feed::f32, 15, {Attr("end", int64_t{-1})}, 0, 3);
}

TEST_CASE("Shape: a dynamic batch") {
  for (int64_t n : {1, 5}) {
    check_shape({n, 3}, Feed::f32, 15, {}, 0, 2, {-1, 3});
    check_shape({n, 3}, Feed::f32, 15, {Attr("start", int64_t{1})}, 1, 2, {-1, 3});
  }
}

TEST_CASE("Shape chains fold: flatten of a dynamic batch runs at batch 1 and 3 with no shape steps") {
  for (int opset : {11, 13}) {
    for (int64_t decl_batch : {int64_t{-1}, int64_t{3}}) {
      CAPTURE(opset);
      CAPTURE(decl_batch);
      const std::string bytes = flatten_chain_model(opset, decl_batch);
      Handles p;
      REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &p.model) == CNNRT_OK);
      cnnrt_session_options so;
      cnnrt_session_options_init(&so);
      so.profile = 1;
      REQUIRE_MESSAGE(cnnrt_session_create(p.model, &so, &p.session) == CNNRT_OK, cnnrt_last_error());
      for (int64_t n : {int64_t{1}, int64_t{3}}) {
        if (decl_batch >= 0 && n != decl_batch) continue;
        const auto x = random_floats(static_cast<size_t>(n * 60), 7 + static_cast<uint32_t>(n));
        const int64_t dims[] = {n, 3, 4, 5};
        cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims, const_cast<float*>(x.data()), x.size() * sizeof(float)};
        cnnrt_tensor out;
        std::memset(&out, 0, sizeof out);
        REQUIRE_MESSAGE(cnnrt_session_run(p.session, &in, 1, &out, 1) == CNNRT_OK, cnnrt_last_error());
        CHECK(Index(out.dims, out.dims + out.rank) == Index{n, 60});
        std::vector<float> got(static_cast<const float*>(out.data), static_cast<const float*>(out.data) + n * 60);
        std::vector<float> want(x);
        for (float& v : want) v = std::max(v, 0.0f);
        CHECK(got == want);
        const auto ops = p.step_ops();
        CHECK(std::count(ops.begin(), ops.end(), "Relu") == 1);
        for (const char* folded : {"Shape", "Gather", "Unsqueeze", "Concat", "Reshape"})
          CHECK_MESSAGE(std::count(ops.begin(), ops.end(), folded) == 0, folded, " still runs");
      }
    }
  }
}
