// SpaceToDepth against a naive reference (channel (i*b + j)*C + c of the
// output holds pixel (h*b + i, w*b + j) of channel c; in CRD mode, opset 28,
// channel c*b*b + i*b + j): block sizes 1 to 3, every element type and the
// Conv layout, round trips with DepthToSpace, dynamic shapes; and errors.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_s2d(const Index& d, const std::vector<float>& x, int64_t b, bool crd, Index* out_dims) {
  const int64_t c = d[1];
  Index od = {d[0], c * b * b, d[2] / b, d[3] / b};
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    const int64_t block = crd ? o[1] % (b * b) : o[1] / c, ch = crd ? o[1] / (b * b) : o[1] % c;
    const int64_t i = block / b, j = block % b;
    y.push_back(x[offset_of({o[0], ch, o[2] * b + i, o[3] * b + j}, d)]);
  });
  *out_dims = od;
  return y;
}

// mode: "" (attribute absent), "DCR" or "CRD".
void check_s2d(const Index& dims, int64_t b, Feed f, int opset = 13, const Index& decl = {},
               const std::string& mode = "") {
  CAPTURE(b);
  CAPTURE(mode);
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_s2d(dims, x, b, mode == "CRD", want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    std::vector<Attr> attrs = {Attr("blocksize", b)};
    if (!mode.empty()) attrs.push_back(Attr("mode", mode));
    mb.node("SpaceToDepth", {in}, {"y"}, attrs);
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

TEST_CASE("SpaceToDepth: CRD and explicit DCR mode (opset 28)") {
  for (Feed f : all_feeds(true)) {
    check_s2d({2, 3, 4, 6}, 2, f, 28, {}, "CRD");
    check_s2d({1, 2, 6, 3}, 3, f, 28, {}, "CRD");
    check_s2d({2, 3, 4, 6}, 2, f, 28, {}, "DCR");
  }
  check_s2d({2, 3, 4, 2}, 2, Feed::f32, 28, {-1, 3, 4, -1}, "CRD");
}

TEST_CASE("SpaceToDepth then DepthToSpace, both CRD (opset 28), is the identity") {
  const Index dims = {2, 12, 6, 4};
  const auto x = feed_values(Feed::f32, count_of(dims));
  const RunResult r = run_fed(Feed::f32_conv, dims, dims, x, 28, [](ModelBuilder& mb, const std::string& in) {
    mb.node("SpaceToDepth", {in}, {"s"}, {Attr("blocksize", int64_t{2}), Attr("mode", "CRD")})
        .node("DepthToSpace", {"s"}, {"y"}, {Attr("blocksize", int64_t{2}), Attr("mode", "CRD")});
  });
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == dims);
  CHECK(r.outputs[0].f == x);
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
  auto mode_error = [](int opset, const char* mode) {
    ModelBuilder m(opset);
    m.input("x", {1, 2, 4, 4})
        .node("SpaceToDepth", {"x"}, {"y"}, {Attr("blocksize", int64_t{2}), Attr("mode", mode)}, "s")
        .output("y");
    const RunResult e = load_model(m.bytes());
    CHECK(e.status == CNNRT_INVALID_MODEL);
    return e.error;
  };
  CHECK(mode_error(13, "CRD") ==
        "<memory>: node 's' (SpaceToDepth, domain ai.onnx, opset 13): attribute 'mode' needs opset 28 or later");
  CHECK(mode_error(28, "RCD") == "<memory>: node 's' (SpaceToDepth, domain ai.onnx, opset 28): mode 'RCD' is not DCR or CRD");
}
