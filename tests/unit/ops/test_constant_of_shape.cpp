// ConstantOfShape against a naive reference: the default (float 0), values
// of several element types, scalar and empty shapes, a shape computed from
// another tensor's Shape (dynamic batch) or given at run time; and errors.
#include <doctest/doctest.h>

#include <cstring>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

onnx::TensorProto value_tensor(int type, double v) {
  onnx::TensorProto t;
  t.set_name("value");
  t.set_data_type(type);
  t.add_dims(1);
  switch (type) {
    case onnx::TensorProto::FLOAT: t.add_float_data(static_cast<float>(v)); break;
    case onnx::TensorProto::DOUBLE: t.add_double_data(v); break;
    case onnx::TensorProto::INT64: t.add_int64_data(static_cast<int64_t>(v)); break;
    default: t.add_int32_data(static_cast<int32_t>(v)); break;  // int32, int8, uint8, bool
  }
  return t;
}

// The result leaves as float (or int64 for int64 values) for comparison.
void check_fill(const Index& shape, int type, double v, bool give_value = true) {
  ModelBuilder mb(9);
  mb.initializer_i64("shape", {static_cast<int64_t>(shape.size())}, shape);
  std::vector<Attr> attrs;
  if (give_value) attrs.emplace_back("value", value_tensor(type, v));
  mb.node("ConstantOfShape", {"shape"}, {"c"}, attrs);
  const bool as_int = type == onnx::TensorProto::INT64;
  if (as_int || type == onnx::TensorProto::FLOAT) {
    mb.output("c");
  } else {
    mb.node("Cast", {"c"}, {"cf"}, {Attr("to", int64_t{onnx::TensorProto::FLOAT})}).output("cf");
  }
  const RunResult r = run_model(mb.bytes(), {});
  CAPTURE(type);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == shape);
  if (as_int)
    CHECK(r.outputs[0].i64 == std::vector<int64_t>(static_cast<size_t>(count_of(shape)), static_cast<int64_t>(v)));
  else
    CHECK(r.outputs[0].f == std::vector<float>(static_cast<size_t>(count_of(shape)), static_cast<float>(v)));
}

}  // namespace

TEST_CASE("ConstantOfShape: default zero, values of several types, scalar and empty shapes") {
  check_fill({2, 3}, onnx::TensorProto::FLOAT, 0.0, /*give_value=*/false);
  check_fill({2, 3, 5}, onnx::TensorProto::FLOAT, 1.5);
  check_fill({4, 1}, onnx::TensorProto::INT64, -7);
  check_fill({3}, onnx::TensorProto::INT32, 9);
  check_fill({3, 2}, onnx::TensorProto::DOUBLE, 2.25);
  check_fill({2, 2}, onnx::TensorProto::UINT8, 200);
  check_fill({2, 2}, onnx::TensorProto::INT8, -3);
  check_fill({5}, onnx::TensorProto::BOOL, 1);
  check_fill({}, onnx::TensorProto::FLOAT, 4.0);  // a scalar
  check_fill({0}, onnx::TensorProto::FLOAT, 4.0);
  check_fill({3, 0, 2}, onnx::TensorProto::INT64, 1);
}

TEST_CASE("ConstantOfShape: a shape from a dynamic input's Shape, and a shape given at run time") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3})
      .node("Shape", {"x"}, {"s"})
      .node("ConstantOfShape", {"s"}, {"c"}, {Attr("value", value_tensor(onnx::TensorProto::FLOAT, 0.5))})
      .output("c");
  for (int64_t n : {1, 4}) {
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 3}, iota_floats(n * 3))});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == Index{n, 3});
    CHECK(r.outputs[0].f == std::vector<float>(static_cast<size_t>(n * 3), 0.5f));
  }
  ModelBuilder rt(13);
  rt.input("s", {2}, onnx::TensorProto::INT64).node("ConstantOfShape", {"s"}, {"c"}).output("c");
  for (const Index& shape : {ints({2, 5}), ints({1, 1}), ints({3, 0})}) {
    const RunResult r = run_model(rt.bytes(), {HostTensor::ints("s", {2}, shape)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == shape);
    CHECK(r.outputs[0].f == std::vector<float>(static_cast<size_t>(count_of(shape)), 0.0f));
  }
}

TEST_CASE("ConstantOfShape: errors") {
  ModelBuilder mb(9);
  mb.initializer_i64("s", {2}, {2, -1}).node("ConstantOfShape", {"s"}, {"c"}, {}, "k").output("c");
  RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'k' (ConstantOfShape, domain ai.onnx, opset 9): shape [2,-1] has a negative dim");
  onnx::TensorProto two = make_tensor("value", {2}, {1.0f, 2.0f});
  ModelBuilder mb2(9);
  mb2.initializer_i64("s", {1}, {2}).node("ConstantOfShape", {"s"}, {"c"}, {Attr("value", two)}, "k").output("c");
  r = load_model(mb2.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'k' (ConstantOfShape, domain ai.onnx, opset 9): value must hold one element, got "
                   "shape [2]");
}
