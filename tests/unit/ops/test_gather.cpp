// Gather against a naive reference: every axis (negative too), indices of
// rank 0 to 2, negative indices, int32 and int64 indices, every element
// type (embedding-style row lookups and shape-vector picks), indices given
// at run time, dynamic shapes; and the errors, including an index out of
// range at run time.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_gather(const Index& dims, const std::vector<float>& x, int64_t axis, const Index& idx_dims,
                                    const Index& idx, Index* out_dims) {
  Index od(dims.begin(), dims.begin() + axis);
  od.insert(od.end(), idx_dims.begin(), idx_dims.end());
  od.insert(od.end(), dims.begin() + axis + 1, dims.end());
  std::vector<float> y;
  const size_t q = idx_dims.size();
  for_each_index(od, [&](const Index& o) {
    Index j(o.begin() + axis, o.begin() + axis + static_cast<int64_t>(q));
    int64_t k = idx[offset_of(j, idx_dims)];
    if (k < 0) k += dims[axis];
    Index i(o.begin(), o.begin() + axis);
    i.push_back(k);
    i.insert(i.end(), o.begin() + axis + static_cast<int64_t>(q), o.end());
    y.push_back(x[offset_of(i, dims)]);
  });
  *out_dims = od;
  return y;
}

void add_indices(ModelBuilder& mb, const Index& idx_dims, const Index& idx, bool int32) {
  if (!int32) {
    mb.initializer_i64("idx", idx_dims, idx);
    return;
  }
  onnx::TensorProto t;
  t.set_name("idx");
  t.set_data_type(onnx::TensorProto::INT32);
  for (int64_t d : idx_dims) t.add_dims(d);
  for (int64_t v : idx) t.add_int32_data(static_cast<int32_t>(v));
  *mb.proto().mutable_graph()->add_initializer() = t;
}

void check_gather(const Index& dims, int64_t axis, const Index& idx_dims, const Index& idx, Feed f, bool int32 = false,
                  int opset = 13, const Index& decl = {}) {
  CAPTURE(axis);
  const int64_t ax = axis < 0 ? axis + static_cast<int64_t>(dims.size()) : axis;
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_gather(dims, x, ax, idx_dims, idx, want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    add_indices(mb, idx_dims, idx, int32);
    mb.node("Gather", {in, "idx"}, {"y"}, {Attr("axis", axis)});
  });
}

}  // namespace

TEST_CASE("Gather: every axis, indices of rank 0 to 2, negative indices, every element type") {
  const Index dims = {4, 5, 3};
  for (Feed f : all_feeds(true))
    for (int64_t axis : {0, 1, 2, -1, -3}) {
      const int64_t d = dims[axis < 0 ? axis + 3 : axis];
      check_gather(dims, axis, {}, ints({d - 1}), f);
      check_gather(dims, axis, {4}, ints({0, -1, 1, 0}), f);
      check_gather(dims, axis, {2, 3}, ints({1, 0, -2, 2, -d, 1}), f, /*int32=*/true);
    }
}

TEST_CASE("Gather: embedding rows, shape-vector picks, empty indices, opsets") {
  check_gather({10, 4}, 0, {2, 3}, ints({9, 0, 3, 3, 7, 1}), Feed::f32);
  check_gather({4}, 0, {}, ints({0}), Feed::i64);  // Shape -> Gather(0)
  check_gather({4}, 0, {2}, ints({-1, 2}), Feed::i64);
  check_gather({3, 4}, 1, {0}, Index{}, Feed::f32);
  for (int opset : {1, 11, 13}) check_gather({3, 4}, 1, {2}, ints({3, 0}), Feed::f32, false, opset);
}

TEST_CASE("Gather: indices given at run time, and out of range at run time") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3}).input("idx", {-1}, onnx::TensorProto::INT64).node("Gather", {"x", "idx"}, {"y"}, {}, "g").output("y");
  for (int64_t n : {2, 6}) {
    const auto x = iota_floats(n * 3);
    const Index idx = {n - 1, 0, -1};
    Index want_dims;
    const auto want = reference_gather({n, 3}, x, 0, {3}, idx, &want_dims);
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 3}, x), HostTensor::ints("idx", {3}, idx)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == want_dims);
    CHECK(r.outputs[0].f == want);
  }
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {2, 3}, iota_floats(6)), HostTensor::ints("idx", {2}, {1, 2})});
  CHECK(r.status == CNNRT_INVALID_ARGUMENT);
  CHECK(r.error == "node 'g' (Gather): index 2 (position 1 of the indices) is out of range for an axis of size 2");
}

TEST_CASE("Gather: errors") {
  ModelBuilder mb(13);
  mb.input("x", {2, 3}).initializer_i64("i", {1}, {0}).node("Gather", {"x", "i"}, {"y"}, {Attr("axis", int64_t{2})}, "g").output("y");
  RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'g' (Gather, domain ai.onnx, opset 13): axis 2 is out of range for rank 2");
  ModelBuilder mb2(13);
  mb2.input("x", {2, 3}).initializer("i", {1}, {0.0f}).node("Gather", {"x", "i"}, {"y"}, {}, "g").output("y");
  r = load_model(mb2.bytes());
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'g' (Gather, domain ai.onnx, opset 13): input 1 ('i') has element type float; "
                   "supported: int64, int32");
  ModelBuilder mb3(13);
  mb3.input("x", {2, 3}).initializer_i64("i", {1}, {5}).node("Gather", {"x", "i"}, {"y"}, {}, "g").output("y");
  r = run_model(mb3.bytes(), {HostTensor::floats("x", {2, 3}, iota_floats(6))});
  CHECK(r.status == CNNRT_INVALID_ARGUMENT);
  CHECK(r.error == "node 'g' (Gather): index 5 (position 0 of the indices) is out of range for an axis of size 2");
}
