// Shared by test_equal.cpp, test_greater.cpp, test_greaterorequal.cpp,
// test_less.cpp and test_lessorequal.cpp, the comparisons (ops/common/binary.cpp
// with a bool output): checks against the op's reference over every
// broadcasting pattern, the legacy broadcast/axis attributes of opset 1,
// NaN and infinities, exact integer inputs, and the errors they share. Each
// test file names its reference and opsets and adds its own cases.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "support/elementwise.h"

namespace cnnrt::test {

struct CompareOp {
  std::string name;  // "Greater"
  std::function<bool(double, double)> ref;
  std::vector<int> opsets;  // with numpy broadcasting; the last is where the single cases run
  bool bools = false;       // bool inputs are supported (else refused)

  int newest() const { return opsets.back(); }
};

// Small integers as floats, so that equal values are common.
inline std::vector<float> compare_values(size_t n, uint32_t seed) {
  auto v = random_floats(n, seed, -2.5f, 2.5f);
  for (float& x : v) x = std::round(x);
  return v;
}

// a (dims da) against b (db) at `opset`; `legacy_b`, if given, is b's shape
// padded as the legacy axis places it (the output is then a's shape).
inline void check_compare(const CompareOp& op, int opset, const Dims& da, const Dims& db, std::vector<Attr> attrs = {},
                          const Dims* legacy_b = nullptr) {
  CAPTURE(opset);
  CAPTURE(da.size());
  CAPTURE(db.size());
  const Dims out = legacy_b ? da : broadcast_dims(da, db);
  const Dims b_as = legacy_b ? *legacy_b : db;
  const auto a = compare_values(element_count(da), 3), b = compare_values(element_count(db), 4);
  const std::vector<HostTensor> in = {HostTensor::floats("a", da, a), HostTensor::floats("b", db, b)};
  const RunResult r = run_model(one_node_model(op.name, opset, in, attrs), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dtype == CNNRT_BOOL);
  CHECK(r.outputs[0].dims == out);
  std::vector<uint8_t> want(element_count(out));
  for (size_t i = 0; i < want.size(); ++i)
    want[i] = op.ref(a[broadcast_offset(da, out, i)], b[broadcast_offset(b_as, out, i)]);
  CHECK(r.outputs[0].raw == want);
}

inline void check_compare_broadcasts(const CompareOp& op) {
  for (int opset : op.opsets)
    for (const auto& c : broadcast_cases()) check_compare(op, opset, c.first, c.second);
}

// Opset 1: no broadcasting unless broadcast=1, then b placed at axis (or as
// a suffix).
inline void check_compare_legacy(const CompareOp& op) {
  const Dims b_as = {1, 3, 1}, b_suffix = {1, 1, 4};
  check_compare(op, 1, {2, 3, 4}, {3}, {Attr("broadcast", 1), Attr("axis", 1)}, &b_as);
  check_compare(op, 1, {2, 3, 4}, {4}, {Attr("broadcast", 1)}, &b_suffix);
  const Dims same = {2, 3, 4};
  check_compare(op, 1, {2, 3, 4}, {2, 3, 4}, {}, &same);
}

inline void check_compare_nan_and_infinities(const CompareOp& op) {
  const std::vector<float> a = {NAN, 1.0f, INFINITY, -INFINITY, 0.0f, -0.0f};
  const std::vector<float> b = {NAN, NAN, INFINITY, 3.0f, -0.0f, 0.0f};
  const std::vector<HostTensor> in = {HostTensor::floats("a", {6}, a), HostTensor::floats("b", {6}, b)};
  const RunResult r = run_model(one_node_model(op.name, op.newest(), in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  std::vector<uint8_t> want;
  for (size_t i = 0; i < a.size(); ++i) want.push_back(op.ref(a[i], b[i]));
  CHECK(r.outputs[0].raw == want);
}

// int32 beyond float's 24 bits and int64 beyond double's 53: float would
// round the operands equal.
inline void check_compare_integers(const CompareOp& op) {
  const std::vector<int32_t> a = {16777217, -5, 7, std::numeric_limits<int32_t>::max()};
  const std::vector<int32_t> b = {16777216, -5};
  const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_INT32, {2, 2}, a),
                                      HostTensor::typed("b", CNNRT_INT32, {2}, b)};
  const RunResult r = run_model(one_node_model(op.name, op.newest(), in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  std::vector<uint8_t> want;
  for (size_t i = 0; i < 4; ++i) want.push_back(op.ref(a[i], b[i % 2]));
  CHECK(r.outputs[0].raw == want);
  const std::vector<HostTensor> in64 = {HostTensor::ints("a", {3}, {(int64_t{1} << 60) + 1, 0, -1}),
                                        HostTensor::ints("b", {}, {int64_t{1} << 60})};
  const RunResult r64 = run_model(one_node_model(op.name, op.newest(), in64), in64);
  REQUIRE_MESSAGE(r64.status == CNNRT_OK, r64.error);
  CHECK(r64.outputs[0].raw == std::vector<uint8_t>{op.ref(1, 0), op.ref(0, 1), op.ref(-1, 1)});
}

// Shapes that do not broadcast; bool inputs are refused unless the op takes
// them.
inline void check_compare_errors(const CompareOp& op) {
  const std::string prefix =
      "<memory>: node 'node' (" + op.name + ", domain ai.onnx, opset " + std::to_string(op.newest()) + "): ";
  const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::floats("b", {3}, {})};
  const RunResult r = load_model(one_node_model(op.name, op.newest(), in));
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == prefix + "shapes [2] and [3] cannot be broadcast together (dim 0: 2 vs 3)");
  const std::vector<HostTensor> b = {HostTensor::typed("a", CNNRT_BOOL, {2}, std::vector<uint8_t>{}),
                                     HostTensor::typed("b", CNNRT_BOOL, {2}, std::vector<uint8_t>{})};
  const RunResult rb = load_model(one_node_model(op.name, op.newest(), b));
  if (op.bools) {
    REQUIRE_MESSAGE(rb.status == CNNRT_OK, rb.error);
  } else {
    CHECK(rb.status == CNNRT_UNSUPPORTED);
    CHECK(rb.error == prefix + "input 0 has element type bool; supported: float, integer types");
  }
}

}  // namespace cnnrt::test
