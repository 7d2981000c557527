// SpaceToDepth against a naive reference (channel (i*b + j)*C + c of the
// output holds pixel (h*b + i, w*b + j) of channel c): block sizes 1 to 3,
// every element type and the Conv layout, a round trip with DepthToSpace,
// dynamic shapes; and errors.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_s2d(const Index& d, const std::vector<float>& x, int64_t b, Index* out_dims) {
  const int64_t c = d[1];
  Index od = {d[0], c * b * b, d[2] / b, d[3] / b};
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    const int64_t block = o[1] / c, ch = o[1] % c, i = block / b, j = block % b;
    y.push_back(x[offset_of({o[0], ch, o[2] * b + i, o[3] * b + j}, d)]);
  });
  *out_dims = od;
  return y;
}

void check_s2d(const Index& dims, int64_t b, Feed f, int opset = 13, const Index& decl = {}) {
  CAPTURE(b);
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_s2d(dims, x, b, want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    mb.node("SpaceToDepth", {in}, {"y"}, {Attr("blocksize", b)});
  });
}

}  // namespace

TEST_CASE("SpaceToDepth: block sizes 1 to 3, every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    check_s2d({2, 3, 4, 6}, 2, f);
    check_s2d({1, 8, 6, 3}, 3, f);
    check_s2d({1, 2, 3, 1}, 1, f);
  }
  for (int opset : {1, 13}) check_s2d({1, 2, 4, 4}, 2, Feed::i64, opset);
  for (int64_t n : {1, 2}) check_s2d({n, 3, 4, 2}, 2, Feed::f32, 13, {-1, 3, 4, -1});
}

TEST_CASE("SpaceToDepth then DepthToSpace (DCR) is the identity") {
  const Index dims = {2, 16, 6, 4};
  const auto x = feed_values(Feed::f32, count_of(dims));
  const RunResult r = run_fed(Feed::f32_conv, dims, dims, x, 13, [](ModelBuilder& mb, const std::string& in) {
    mb.node("SpaceToDepth", {in}, {"s"}, {Attr("blocksize", int64_t{2})})
        .node("DepthToSpace", {"s"}, {"y"}, {Attr("blocksize", int64_t{2})});
  });
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == dims);
  CHECK(r.outputs[0].f == x);
}

TEST_CASE("SpaceToDepth: errors") {
  ModelBuilder mb(13);
  mb.input("x", {1, 2, 5, 4}).node("SpaceToDepth", {"x"}, {"y"}, {Attr("blocksize", int64_t{2})}, "s").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 's' (SpaceToDepth, domain ai.onnx, opset 13): the input [1,2,5,4] has spatial dim 5, "
                   "not divisible by blocksize 2");
}
