// Shared by test_argmax.cpp and test_argmin.cpp: a naive arg-reduction and
// the cases both ops must pass (every axis incl. negative ones, keepdims,
// select_last_index with ties, ranks 1 to 4, float and int64 inputs, each
// opset form) plus the errors.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

namespace cnnrt::test {

inline std::vector<int64_t> reference_arg(const std::vector<int64_t>& dims, const std::vector<double>& x, int64_t axis,
                                          bool keepdims, bool largest, bool last, std::vector<int64_t>* ydims) {
  const int64_t rank = static_cast<int64_t>(dims.size());
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1;
  ydims->clear();
  for (int64_t i = 0; i < rank; ++i) {
    if (i < axis) outer *= dims[i];
    if (i > axis) inner *= dims[i];
    if (i != axis) ydims->push_back(dims[i]);
    else if (keepdims) ydims->push_back(1);
  }
  std::vector<int64_t> y;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      int64_t best = 0;
      for (int64_t k = 0; k < dims[axis]; ++k) {
        const double v = x[(o * dims[axis] + k) * inner + in], b = x[(o * dims[axis] + best) * inner + in];
        if (largest ? (v > b || (last && v == b)) : (v < b || (last && v == b))) best = k;
      }
      y.push_back(best);
    }
  return y;
}

inline void check_arg(const std::string& op, const std::vector<int64_t>& dims, int64_t axis, bool keepdims, bool last,
                      int opset, bool int_input, uint32_t seed) {
  CAPTURE(dims.size());
  CAPTURE(axis);
  CAPTURE(keepdims);
  CAPTURE(last);
  CAPTURE(opset);
  CAPTURE(int_input);
  const size_t n = element_count(dims);
  // Few distinct values, so ties are common.
  const auto r = random_floats(n, seed, 0.0f, 4.0f);
  std::vector<double> x;
  std::vector<float> xf;
  std::vector<int64_t> xi;
  for (float v : r) {
    const float q = static_cast<float>(static_cast<int>(v));
    x.push_back(q);
    xf.push_back(q);
    xi.push_back(static_cast<int64_t>(q));
  }
  std::vector<Attr> attrs = {Attr("axis", axis), Attr("keepdims", static_cast<int64_t>(keepdims))};
  if (opset >= 12) attrs.emplace_back("select_last_index", static_cast<int64_t>(last));
  ModelBuilder mb(opset);
  mb.input("x", dims, int_input ? onnx::TensorProto::INT64 : onnx::TensorProto::FLOAT);
  mb.node(op, {"x"}, {"y"}, attrs).output("y");
  std::vector<int64_t> ydims;
  const auto want = reference_arg(dims, x, axis, keepdims, op == "ArgMax", last, &ydims);
  const RunResult res =
      run_model(mb.bytes(), {int_input ? HostTensor::ints("x", dims, xi) : HostTensor::floats("x", dims, xf)});
  REQUIRE_MESSAGE(res.status == CNNRT_OK, res.error);
  CHECK(res.outputs[0].dtype == CNNRT_INT64);
  CHECK(res.outputs[0].dims == ydims);
  CHECK(res.outputs[0].i64 == want);
}

inline void run_arg_cases(const std::string& op) {
  uint32_t seed = 1;
  SUBCASE("every axis, keepdims, select_last_index, opsets 11 to 13") {
    const std::vector<int64_t> dims = {3, 5, 4, 2};
    for (int64_t axis = -4; axis < 4; ++axis)
      for (bool keepdims : {true, false})
        for (bool last : {false, true}) check_arg(op, dims, axis, keepdims, last, last ? 12 : 11, false, seed++);
    check_arg(op, dims, 2, true, true, 13, false, seed++);
  }
  SUBCASE("opset 1 (non-negative axes), ranks 1 to 3, int64 input") {
    check_arg(op, {7}, 0, true, false, 1, false, seed++);
    check_arg(op, {7}, 0, false, false, 1, false, seed++);
    check_arg(op, {4, 9}, 1, false, false, 1, false, seed++);
    check_arg(op, {2, 3, 5}, 1, true, false, 1, true, seed++);
    check_arg(op, {2, 3, 5}, 2, false, true, 12, true, seed++);
  }
  SUBCASE("errors") {
    const std::string prefix = "<memory>: node 'arg' (" + op + ", domain ai.onnx, opset ";
    ModelBuilder neg(10);
    neg.input("x", {2, 3}).node(op, {"x"}, {"y"}, {Attr("axis", -1)}, "arg").output("y");
    RunResult r = load_model(neg.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "10): negative axis -1 needs opset 11 or later");
    ModelBuilder range(13);
    range.input("x", {2, 3}).node(op, {"x"}, {"y"}, {Attr("axis", 2)}, "arg").output("y");
    r = load_model(range.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): axis 2 is out of range for rank 2");
    ModelBuilder last(11);
    last.input("x", {2, 3}).node(op, {"x"}, {"y"}, {Attr("select_last_index", 1)}, "arg").output("y");
    r = load_model(last.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "11): attribute 'select_last_index' is not valid at this opset");
    ModelBuilder empty(13);
    empty.input("x", {2, 0}).node(op, {"x"}, {"y"}, {Attr("axis", 1)}, "arg").output("y");
    r = load_model(empty.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): axis 1 of [2,0] is empty: there is no extreme");
  }
}

}  // namespace cnnrt::test
