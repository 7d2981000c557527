// Range against a naive reference (start + i * delta while short of limit)
// for float, double, int16, int32 and int64, positive and negative deltas,
// empty ranges, bounds from constants or given at run time; and errors.
#include <doctest/doctest.h>

#include <cmath>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<double> reference_range(double start, double limit, double delta) {
  std::vector<double> out;
  for (double v = start; delta > 0 ? v < limit : v > limit; v += delta) out.push_back(v);
  return out;
}

onnx::TensorProto scalar(const std::string& name, int type, double v) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(type);
  switch (type) {
    case onnx::TensorProto::FLOAT: t.add_float_data(static_cast<float>(v)); break;
    case onnx::TensorProto::DOUBLE: t.add_double_data(v); break;
    case onnx::TensorProto::INT64: t.add_int64_data(static_cast<int64_t>(v)); break;
    default: t.add_int32_data(static_cast<int32_t>(v)); break;
  }
  return t;
}

void check_range(int type, double start, double limit, double delta) {
  ModelBuilder mb(11);
  auto* g = mb.proto().mutable_graph();
  *g->add_initializer() = scalar("start", type, start);
  *g->add_initializer() = scalar("limit", type, limit);
  *g->add_initializer() = scalar("delta", type, delta);
  mb.node("Range", {"start", "limit", "delta"}, {"r"});
  if (type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::INT64)
    mb.output("r");
  else
    mb.node("Cast", {"r"}, {"rf"}, {Attr("to", int64_t{onnx::TensorProto::FLOAT})}).output("rf");
  const RunResult r = run_model(mb.bytes(), {});
  CAPTURE(type);
  CAPTURE(start);
  CAPTURE(limit);
  CAPTURE(delta);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const auto want = reference_range(start, limit, delta);
  CHECK(r.outputs[0].dims == Index{static_cast<int64_t>(want.size())});
  if (type == onnx::TensorProto::INT64) {
    std::vector<int64_t> w(want.begin(), want.end());
    CHECK(r.outputs[0].i64 == w);
  } else {
    std::vector<float> w(want.begin(), want.end());
    CHECK(max_abs_diff(r.outputs[0].f, w) <= 1e-5);
  }
}

}  // namespace

TEST_CASE("Range: every element type, both directions, empty ranges") {
  for (int type : {onnx::TensorProto::FLOAT, onnx::TensorProto::DOUBLE, onnx::TensorProto::INT16,
                   onnx::TensorProto::INT32, onnx::TensorProto::INT64}) {
    check_range(type, 0, 10, 3);
    check_range(type, 10, -5, -4);
    check_range(type, 3, 3, 1);
    check_range(type, 5, 1, 2);    // wrong direction: empty
    check_range(type, -7, 20, 9);  // exactly divisible span
  }
  check_range(onnx::TensorProto::FLOAT, 1.0, 2.0, 0.25);
  check_range(onnx::TensorProto::FLOAT, -0.5, 0.45, 0.1);
  check_range(onnx::TensorProto::DOUBLE, 0.1, 1.0, 0.3);
}

TEST_CASE("Range: bounds given at run time") {
  ModelBuilder mb(11);
  mb.input("start", {}, onnx::TensorProto::INT64)
      .input("limit", {}, onnx::TensorProto::INT64)
      .input("delta", {}, onnx::TensorProto::INT64)
      .node("Range", {"start", "limit", "delta"}, {"r"})
      .output("r");
  for (const Index& b : {ints({0, 5, 1}), ints({10, 0, -3}), ints({2, 2, 1})}) {
    const RunResult r = run_model(mb.bytes(), {HostTensor::ints("start", {}, {b[0]}), HostTensor::ints("limit", {}, {b[1]}),
                                               HostTensor::ints("delta", {}, {b[2]})});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    const auto want = reference_range(static_cast<double>(b[0]), static_cast<double>(b[1]), static_cast<double>(b[2]));
    CHECK(r.outputs[0].i64 == std::vector<int64_t>(want.begin(), want.end()));
  }
}

TEST_CASE("Range: errors") {
  auto load_error = [](int t0, int t1, double delta) {
    ModelBuilder mb(11);
    auto* g = mb.proto().mutable_graph();
    *g->add_initializer() = scalar("start", t0, 0);
    *g->add_initializer() = scalar("limit", t1, 4);
    *g->add_initializer() = scalar("delta", t0, delta);
    mb.node("Range", {"start", "limit", "delta"}, {"r"}, {}, "rg").output("r");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status != CNNRT_OK);
    return r.error;
  };
  const std::string at = "<memory>: node 'rg' (Range, domain ai.onnx, opset 11): ";
  CHECK(load_error(onnx::TensorProto::INT64, onnx::TensorProto::INT64, 0) == at + "delta is 0");
  CHECK(load_error(onnx::TensorProto::FLOAT, onnx::TensorProto::FLOAT, 0) == at + "delta is 0");
  CHECK(load_error(onnx::TensorProto::INT64, onnx::TensorProto::INT32, 1) ==
        at + "input 1 has element type int32, start has int64");
  CHECK(load_error(onnx::TensorProto::FLOAT, onnx::TensorProto::FLOAT, 1e-20) ==
        at + "Range(0, 4, 1e-20) does not have a representable number of elements");
}
