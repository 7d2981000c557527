// Expand against a naive reference: broadcasting to larger ranks, size-1
// dims on either side, every element type and the Conv layout, a target
// shape from constants, from a Shape (dynamic batch) or given at run time;
// and the error for shapes that do not broadcast.
#include <doctest/doctest.h>

#include <algorithm>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_expand(const Index& dims, const std::vector<float>& x, const Index& shape, Index* out_dims) {
  const size_t r = std::max(dims.size(), shape.size());
  Index xd(r - dims.size(), 1), sd(r - shape.size(), 1);
  xd.insert(xd.end(), dims.begin(), dims.end());
  sd.insert(sd.end(), shape.begin(), shape.end());
  Index od(r);
  for (size_t k = 0; k < r; ++k) od[k] = xd[k] == 1 ? sd[k] : xd[k];
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    Index i(r);
    for (size_t k = 0; k < r; ++k) i[k] = xd[k] == 1 ? 0 : o[k];
    y.push_back(x[offset_of(i, xd)]);
  });
  *out_dims = od;
  return y;
}

void check_expand(const Index& dims, const Index& shape, Feed f, int opset = 13, const Index& decl = {}) {
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_expand(dims, x, shape, want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    mb.initializer_i64("shape", {static_cast<int64_t>(shape.size())}, shape).node("Expand", {in, "shape"}, {"y"});
  });
}

}  // namespace

TEST_CASE("Expand: broadcasting in every direction, every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    const Feed rank4 = f;
    const Feed any = f == Feed::f32_conv ? Feed::f32 : f;
    check_expand({3, 1}, ints({2, 3, 4}), any);
    check_expand({1, 4}, ints({3, 1}), any);      // both sides broadcast
    check_expand({5}, ints({2, 1, 5}), any);
    check_expand({2, 3}, ints({1}), any);         // smaller shape: unchanged
    check_expand({2, 3}, ints({2, 3}), any);
    check_expand({}, ints({2, 2}), any);          // a scalar
    check_expand({2, 8, 1, 5}, ints({2, 8, 3, 5}), rank4);
    check_expand({1, 8, 3, 1}, ints({3, 1, 1, 4}), rank4);
  }
  check_expand({1, 3}, ints({0, 3}), Feed::f32);  // to an empty tensor
  for (int opset : {8, 13}) check_expand({3, 1}, ints({3, 4}), Feed::i64, opset);
}

TEST_CASE("Expand: the target shape from a dynamic input's Shape, and given at run time") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3}).initializer("row", {1, 3}, {1.0f, 2.0f, 3.0f}).node("Shape", {"x"}, {"s"}).node("Expand", {"row", "s"}, {"y"}).output("y");
  for (int64_t n : {1, 4}) {
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 3}, iota_floats(n * 3))});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    Index want_dims;
    CHECK(r.outputs[0].f == reference_expand({1, 3}, {1, 2, 3}, {n, 3}, &want_dims));
    CHECK(r.outputs[0].dims == want_dims);
  }
  ModelBuilder rt(13);
  rt.input("x", {2, 1}).input("s", {3}, onnx::TensorProto::INT64).node("Expand", {"x", "s"}, {"y"}).output("y");
  for (const Index& s : {ints({1, 2, 5}), ints({3, 1, 1}), ints({2, 2, 3})}) {
    const RunResult r = run_model(rt.bytes(), {HostTensor::floats("x", {2, 1}, {7.0f, 8.0f}), HostTensor::ints("s", {3}, s)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    Index want_dims;
    CHECK(r.outputs[0].f == reference_expand({2, 1}, {7.0f, 8.0f}, s, &want_dims));
    CHECK(r.outputs[0].dims == want_dims);
  }
}

TEST_CASE("Expand: dynamic dims and errors") {
  for (int64_t n : {1, 3}) check_expand({n, 1}, ints({n, 4}), Feed::f32, 13, {-1, 1});
  ModelBuilder mb(13);
  mb.input("x", {2, 3}).initializer_i64("s", {2}, {4, 3}).node("Expand", {"x", "s"}, {"y"}, {}, "e").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'e' (Expand, domain ai.onnx, opset 13): cannot expand [2,3] to shape [4,3]: dim 2 vs 4");
}
