// DepthToSpace against a naive reference (the ONNX definitions as
// reshape-transpose-reshape, written out per element): DCR and CRD modes,
// block sizes 1 to 4, every element type and the Conv layout, dynamic
// shapes; and errors.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_d2s(const Index& d, const std::vector<float>& x, int64_t b, bool crd, Index* out_dims) {
  const int64_t n = d[0], c = d[1] / (b * b), h = d[2], w = d[3];
  Index od = {n, c, h * b, w * b};
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    const int64_t i = o[2] % b, j = o[3] % b;
    const int64_t ch = crd ? o[1] * b * b + i * b + j : (i * b + j) * c + o[1];
    y.push_back(x[offset_of({o[0], ch, o[2] / b, o[3] / b}, d)]);
  });
  *out_dims = od;
  return y;
}

void check_d2s(const Index& dims, int64_t b, const char* mode, Feed f, int opset = 13, const Index& decl = {}) {
  CAPTURE(b);
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_d2s(dims, x, b, mode && std::string(mode) == "CRD", want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    std::vector<Attr> attrs = {Attr("blocksize", b)};
    if (mode) attrs.emplace_back("mode", mode);
    mb.node("DepthToSpace", {in}, {"y"}, attrs);
  });
}

}  // namespace

TEST_CASE("DepthToSpace: DCR and CRD, block sizes 1 to 4, every element type and the Conv layout") {
  for (Feed f : all_feeds(true))
    for (const char* mode : {"DCR", "CRD"}) {
      check_d2s({2, 8, 3, 5}, 2, mode, f);
      check_d2s({1, 18, 2, 3}, 3, mode, f);
      check_d2s({1, 16, 1, 2}, 4, mode, f);
      check_d2s({2, 3, 2, 2}, 1, mode, f);
    }
}

TEST_CASE("DepthToSpace: opsets (mode from 11; DCR by default)") {
  for (int opset : {1, 11, 13}) check_d2s({1, 8, 2, 3}, 2, nullptr, Feed::f32, opset);
  for (int opset : {11, 13}) check_d2s({1, 8, 2, 3}, 2, "CRD", Feed::i64, opset);
  for (int64_t n : {1, 3}) check_d2s({n, 4, 2, 3}, 2, "DCR", Feed::f32, 13, {-1, 4, -1, 3});
}

TEST_CASE("DepthToSpace: errors") {
  auto load_error = [](const Index& x, const std::vector<Attr>& attrs, int opset = 13) {
    ModelBuilder mb(opset);
    mb.input("x", x).node("DepthToSpace", {"x"}, {"y"}, attrs, "d").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  const std::string at = "<memory>: node 'd' (DepthToSpace, domain ai.onnx, opset 13): ";
  CHECK(load_error({1, 6, 2, 2}, {Attr("blocksize", int64_t{2})}) ==
        at + "the input's 6 channels are not divisible by blocksize² = 4");
  CHECK(load_error({1, 8, 2, 2}, {}) == at + "attribute 'blocksize' is required");
  CHECK(load_error({1, 8, 2, 2}, {Attr("blocksize", int64_t{0})}) == at + "blocksize 0 must be positive");
  CHECK(load_error({1, 8, 2, 2}, {Attr("blocksize", int64_t{2}), Attr("mode", "RDC")}) == at + "mode 'RDC' is not DCR or CRD");
  CHECK(load_error({8, 2, 2}, {Attr("blocksize", int64_t{2})}) ==
        at + "input 0 ('x') must have rank 4, got shape [8,2,2]");
  CHECK(load_error({1, 8, 2, 2}, {Attr("blocksize", int64_t{2}), Attr("mode", "CRD")}, 10) ==
        "<memory>: node 'd' (DepthToSpace, domain ai.onnx, opset 10): attribute 'mode' needs opset 11 or later");
}
