// Reshape against a naive reference: 0 (copy a dim) and -1 (infer a dim),
// allowzero from opset 14, the attribute form before opset 5, every
// element type and the Conv layout, dynamic batches, shapes given at run
// time (a plan per shape value); and the exact errors of impossible shapes.
#include <doctest/doctest.h>

#include <cstring>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

// The ONNX rule, written out: 0 copies the input dim (unless allowzero),
// one -1 takes the remaining count.
Index reference_dims(const Index& x, const Index& shape, bool allowzero) {
  Index out = shape;
  int64_t known = 1;
  int infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allowzero) out[i] = x[i];
    if (shape[i] == -1)
      infer = static_cast<int>(i);
    else
      known *= out[i];
  }
  if (infer >= 0) out[infer] = count_of(x) / known;
  return out;
}

void check_reshape(const Index& dims, const Index& shape, Feed f, int opset = 14, bool allowzero = false,
                   const Index& decl = {}) {
  CAPTURE(opset);
  const FedReference ref = same_values(reference_dims(dims, shape, allowzero));
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    std::vector<Attr> attrs;
    if (opset < 5) {
      attrs.emplace_back("shape", shape);
      mb.node("Reshape", {in}, {"y"}, attrs);
      return;
    }
    if (allowzero) attrs.emplace_back("allowzero", int64_t{1});
    mb.initializer_i64("shape", {static_cast<int64_t>(shape.size())}, shape).node("Reshape", {in, "shape"}, {"y"}, attrs);
  });
}

}  // namespace

TEST_CASE("Reshape: literal dims, 0 and -1, every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    check_reshape({2, 6, 3, 5}, ints({4, 45}), f);
    check_reshape({2, 6, 3, 5}, ints({0, -1}), f);
    check_reshape({2, 6, 3, 5}, ints({-1}), f);
    check_reshape({2, 6, 3, 5}, ints({0, 3, 2, -1, 5}), f);
    check_reshape({2, 6, 3, 5}, ints({0, 0, 15}), f);
    check_reshape({2, 6, 3, 5}, ints({3, -1, 1, 2}), f);
  }
}

TEST_CASE("Reshape: opset forms (attribute before 5, input from 5, allowzero from 14)") {
  for (int opset : {1, 4, 5, 13, 14, 21}) check_reshape({3, 4, 5}, ints({0, -1}), Feed::f32, opset);
  check_reshape({3, 0, 5}, ints({5, 0, 3}), Feed::f32, 14, true);   // allowzero: 0 is a zero dim
  check_reshape({3, 0, 5}, ints({5, 0, 3}), Feed::i64, 14, true);
  check_reshape({3, 4, 5}, ints({5, 12}), Feed::f32, 14, true);
  check_reshape({3, 4, 5}, ints({0, 20}), Feed::f32, 14, false);  // without allowzero: 0 copies 3
  check_reshape({2, 0}, ints({5, -1}), Feed::f32, 14, false);      // an empty tensor: -1 is 0
}

TEST_CASE("Reshape: a dynamic batch keeps working at several sizes") {
  for (Feed f : {Feed::f32, Feed::i64, Feed::f16})
    for (int64_t n : {1, 3, 2}) check_reshape({n, 4, 3}, ints({0, -1}), f, 14, false, {-1, 4, 3});
}

TEST_CASE("Reshape: a shape given at run time gets a plan per value") {
  ModelBuilder mb(14);
  mb.input("x", {2, 3, 4}).input("shape", {2}, onnx::TensorProto::INT64).node("Reshape", {"x", "shape"}, {"y"}).output("y");
  const std::string bytes = mb.bytes();
  cnnrt_model* model = nullptr;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK);
  cnnrt_session* session = nullptr;
  REQUIRE_MESSAGE(cnnrt_session_create(model, nullptr, &session) == CNNRT_OK, cnnrt_last_error());
  const auto x = iota_floats(24);
  const int64_t xdims[] = {2, 3, 4}, sdims[] = {2};
  for (const Index& shape : {ints({4, 6}), ints({-1, 2}), ints({4, 6}), ints({0, 12})}) {
    cnnrt_tensor in[2] = {{"x", CNNRT_FLOAT32, 3, xdims, const_cast<float*>(x.data()), x.size() * sizeof(float)},
                          {"shape", CNNRT_INT64, 1, sdims, const_cast<int64_t*>(shape.data()), 2 * sizeof(int64_t)}};
    cnnrt_tensor out;
    std::memset(&out, 0, sizeof out);
    REQUIRE_MESSAGE(cnnrt_session_run(session, in, 2, &out, 1) == CNNRT_OK, cnnrt_last_error());
    CHECK(Index(out.dims, out.dims + out.rank) == reference_dims({2, 3, 4}, shape, false));
    CHECK(std::memcmp(out.data, x.data(), x.size() * sizeof(float)) == 0);
  }
  // A shape that does not fit the data is refused at that run.
  const Index bad = {5, 5};
  cnnrt_tensor in[2] = {{"x", CNNRT_FLOAT32, 3, xdims, const_cast<float*>(x.data()), x.size() * sizeof(float)},
                        {"shape", CNNRT_INT64, 1, sdims, const_cast<int64_t*>(bad.data()), 2 * sizeof(int64_t)}};
  CHECK(cnnrt_session_run(session, in, 2, nullptr, 0) == CNNRT_INVALID_MODEL);
  CHECK(std::string(cnnrt_last_error()).find("cannot reshape [2,3,4] (24 elements) to [5,5] (25 elements)") !=
        std::string::npos);
  cnnrt_session_destroy(&session);
  cnnrt_model_destroy(&model);
}

TEST_CASE("Reshape: errors name the shapes") {
  auto load_error = [](const Index& x, const Index& shape, bool allowzero = false) {
    ModelBuilder mb(14);
    std::vector<Attr> attrs;
    if (allowzero) attrs.emplace_back("allowzero", int64_t{1});
    mb.input("x", x)
        .initializer_i64("s", {static_cast<int64_t>(shape.size())}, shape)
        .node("Reshape", {"x", "s"}, {"y"}, attrs, "r")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  const std::string at = "<memory>: node 'r' (Reshape, domain ai.onnx, opset 14): ";
  CHECK(load_error({2, 3}, ints({4, 2})) == at + "cannot reshape [2,3] (6 elements) to [4,2] (8 elements)");
  CHECK(load_error({2, 3}, ints({-1, -1})) == at + "at most one -1 in shape [-1,-1]");
  CHECK(load_error({2, 3}, ints({4, -1})) == at + "cannot reshape [2,3] (6 elements) to [4,-1]: 6 is not a multiple of 4");
  CHECK(load_error({2, 3}, ints({2, -2})) == at + "shape [2,-2] has invalid entry -2");
  CHECK(load_error({2, 3}, ints({0, 0, 0})) == at + "shape [0,0,0] copies dim 2 (entry 0) but the input [2,3] has rank 2");
  CHECK(load_error({2, 0}, ints({0, -1}), true) == at + "shape [0,-1] has both 0 and -1, which allowzero = 1 does not allow");
  CHECK(load_error({2, 0}, ints({-1, 0})) ==
        at + "cannot infer the -1 in shape [-1,0] for input [2,0]: the other dims multiply to 0");
}
