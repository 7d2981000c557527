// Transpose against a naive reference: every permutation up to rank 4, the
// default (reversed) perm, ranks 5 and 6, every element type and the layout
// a Conv produces, dynamic shapes; and the errors a bad perm gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_transpose(const Index& dims, const std::vector<float>& x, const Index& perm,
                                       Index* out_dims) {
  Index od(dims.size());
  for (size_t k = 0; k < dims.size(); ++k) od[k] = dims[perm[k]];
  std::vector<float> y(x.size());
  for_each_index(od, [&](const Index& o) {
    Index i(dims.size());
    for (size_t k = 0; k < dims.size(); ++k) i[perm[k]] = o[k];
    y[offset_of(o, od)] = x[offset_of(i, dims)];
  });
  *out_dims = od;
  return y;
}

// perm empty: the attribute is left out (default: reversed dims).
void check_transpose(const Index& dims, const Index& perm, Feed f, const Index& decl = {}) {
  Index p = perm;
  if (p.empty()) {
    p.resize(dims.size());
    std::iota(p.rbegin(), p.rend(), 0);
  }
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_transpose(dims, x, p, want_dims);
  };
  check_fed(f, dims, decl, 13, ref, [&](ModelBuilder& mb, const std::string& in) {
    std::vector<Attr> attrs;
    if (!perm.empty()) attrs.emplace_back("perm", perm);
    mb.node("Transpose", {in}, {"y"}, attrs);
  });
}

}  // namespace

TEST_CASE("Transpose: every permutation of ranks 1 to 4, every element type") {
  const std::vector<Index> shapes = {{7}, {3, 5}, {2, 3, 5}, {2, 3, 4, 5}};
  for (const Index& dims : shapes) {
    Index perm(dims.size());
    std::iota(perm.begin(), perm.end(), 0);
    do {
      CAPTURE(dims.size());
      CAPTURE(perm[0]);
      const bool conv = dims.size() >= 3;
      for (Feed f : all_feeds(conv)) check_transpose(dims, perm, f);
    } while (std::next_permutation(perm.begin(), perm.end()));
  }
}

TEST_CASE("Transpose: default perm reverses the dims") {
  for (Feed f : {Feed::f32, Feed::i64, Feed::f64}) {
    check_transpose({2, 3, 5}, {}, f);
    check_transpose({4, 1, 3, 2}, {}, f);
  }
}

TEST_CASE("Transpose: ranks 5 and 6, size-1 dims, empty tensors") {
  for (Feed f : {Feed::f32, Feed::f32_conv, Feed::i64, Feed::bf16}) {
    check_transpose({2, 3, 1, 4, 3}, ints({4, 0, 3, 1, 2}), f);
    check_transpose({1, 5, 1, 7}, ints({2, 0, 3, 1}), f);  // only size-1 dims move: a view
    const Feed no_conv = f == Feed::f32_conv ? Feed::f32 : f;
    check_transpose({2, 1, 3, 1, 2, 3}, ints({5, 3, 1, 0, 4, 2}), no_conv);
    check_transpose({3, 0, 2}, ints({2, 0, 1}), no_conv);
  }
}

TEST_CASE("Transpose: a channels-last Conv output transposed to NHWC and back") {
  for (const Index& perm : {ints({0, 2, 3, 1}), ints({0, 3, 1, 2}), ints({3, 2, 1, 0})}) {
    check_transpose({2, 16, 5, 7}, perm, Feed::f32_conv);
    check_transpose({1, 3, 4, 6}, perm, Feed::f32_conv);
  }
}

TEST_CASE("Transpose: dynamic shapes, one model run at several sizes") {
  for (Feed f : {Feed::f32, Feed::i64})
    for (int64_t n : {1, 4, 2}) check_transpose({n, 3, 5}, ints({2, 0, 1}), f, {-1, 3, -1});
}

TEST_CASE("Transpose: errors") {
  auto load_error = [](const Index& perm) {
    ModelBuilder mb(13);
    mb.input("x", {2, 3, 4}).node("Transpose", {"x"}, {"y"}, {Attr("perm", perm)}, "t").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  CHECK(load_error(ints({0, 1})) ==
        "<memory>: node 't' (Transpose, domain ai.onnx, opset 13): perm [0,1] has 2 entries for an input of rank 3");
  CHECK(load_error(ints({0, 1, 1})) ==
        "<memory>: node 't' (Transpose, domain ai.onnx, opset 13): perm [0,1,1] is not a permutation of 0..2");
  CHECK(load_error(ints({0, 3, 1})) ==
        "<memory>: node 't' (Transpose, domain ai.onnx, opset 13): perm [0,3,1] is not a permutation of 0..2");
}
