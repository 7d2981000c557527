// Tile against a naive reference: repeats per dim (including 0 and 1),
// ranks 1 to 7 (beyond oneDNN's rank limit for the repeated view), every
// element type and the Conv layout, the opset-1 tiles/axis form, repeats
// given at run time, dynamic shapes; and errors.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_tile(const Index& dims, const std::vector<float>& x, const Index& reps, Index* out_dims) {
  Index od(dims.size());
  for (size_t k = 0; k < dims.size(); ++k) od[k] = dims[k] * reps[k];
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    Index i(dims.size());
    for (size_t k = 0; k < dims.size(); ++k) i[k] = o[k] % dims[k];
    y.push_back(x[offset_of(i, dims)]);
  });
  *out_dims = od;
  return y;
}

void check_tile(const Index& dims, const Index& reps, Feed f, int opset = 13, const Index& decl = {}) {
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_tile(dims, x, reps, want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    mb.initializer_i64("reps", {static_cast<int64_t>(reps.size())}, reps).node("Tile", {in, "reps"}, {"y"});
  });
}

}  // namespace

TEST_CASE("Tile: repeats per dim, every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    const Feed any = f == Feed::f32_conv ? Feed::f32 : f;
    check_tile({3}, ints({4}), any);
    check_tile({2, 3}, ints({2, 3}), any);
    check_tile({2, 3}, ints({1, 1}), any);
    check_tile({2, 3}, ints({0, 2}), any);
    check_tile({2, 8, 3, 1}, ints({2, 1, 3, 4}), f);
  }
}

TEST_CASE("Tile: ranks beyond oneDNN's limit for the repeated view") {
  for (Feed f : {Feed::f32, Feed::i64}) check_tile({2, 1, 2, 1, 2, 1, 2}, ints({2, 3, 2, 2, 1, 2, 3}), f);
}

TEST_CASE("Tile: the opset-1 form (tiles and axis inputs)") {
  ModelBuilder mb(1);
  mb.input("x", {2, 3}).initializer_i64("tiles", {}, {3}).initializer_i64("axis", {}, {1}).node("Tile", {"x", "tiles", "axis"}, {"y"}).output("y");
  const auto x = iota_floats(6);
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {2, 3}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  Index want_dims;
  CHECK(r.outputs[0].f == reference_tile({2, 3}, x, {1, 3}, &want_dims));
  CHECK(r.outputs[0].dims == want_dims);
}

TEST_CASE("Tile: repeats given at run time, dynamic shapes") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 2}).input("r", {2}, onnx::TensorProto::INT64).node("Tile", {"x", "r"}, {"y"}).output("y");
  for (int64_t n : {1, 3})
    for (const Index& reps : {ints({2, 1}), ints({1, 3})}) {
      const auto x = iota_floats(n * 2);
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 2}, x), HostTensor::ints("r", {2}, reps)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      Index want_dims;
      CHECK(r.outputs[0].f == reference_tile({n, 2}, x, reps, &want_dims));
      CHECK(r.outputs[0].dims == want_dims);
    }
}

TEST_CASE("Tile: errors") {
  auto load_error = [](const Index& reps) {
    ModelBuilder mb(13);
    mb.input("x", {2, 3}).initializer_i64("r", {static_cast<int64_t>(reps.size())}, reps).node("Tile", {"x", "r"}, {"y"}, {}, "t").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  const std::string at = "<memory>: node 't' (Tile, domain ai.onnx, opset 13): ";
  CHECK(load_error(ints({2})) == at + "repeats [2] has length 1, the input has rank 2");
  CHECK(load_error(ints({2, -1})) == at + "repeats [2,-1] has a negative count");
}
