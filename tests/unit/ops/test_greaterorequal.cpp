// GreaterOrEqual against a naive reference: bool output over every broadcasting
// pattern, float32 on oneDNN and integer inputs exact,
// NaN and infinities, and the errors a bad GreaterOrEqual gives.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

bool ref(double a, double b) { return a >= b; }

// Small integers as floats, so that equal values are common.
std::vector<float> values(size_t n, uint32_t seed) {
  auto v = random_floats(n, seed, -2.5f, 2.5f);
  for (float& x : v) x = std::round(x);
  return v;
}

void check(int opset, const Dims& da, const Dims& db, std::vector<Attr> attrs = {}, const Dims* legacy_b = nullptr) {
  CAPTURE(opset);
  CAPTURE(da.size());
  CAPTURE(db.size());
  const Dims out = legacy_b ? da : broadcast_dims(da, db);
  const Dims b_as = legacy_b ? *legacy_b : db;
  const auto a = values(element_count(da), 3), b = values(element_count(db), 4);
  const std::vector<HostTensor> in = {HostTensor::floats("a", da, a), HostTensor::floats("b", db, b)};
  const RunResult r = run_model(one_node_model("GreaterOrEqual", opset, in, attrs), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dtype == CNNRT_BOOL);
  CHECK(r.outputs[0].dims == out);
  std::vector<uint8_t> want(element_count(out));
  for (size_t i = 0; i < want.size(); ++i)
    want[i] = ref(a[broadcast_offset(da, out, i)], b[broadcast_offset(b_as, out, i)]);
  CHECK(r.outputs[0].raw == want);
}

}  // namespace

TEST_CASE("GreaterOrEqual on float32 broadcasts like numpy") {
  for (int opset : {12, 16})
    for (const auto& c : broadcast_cases()) check(opset, c.first, c.second);
}

TEST_CASE("GreaterOrEqual with NaN and infinities") {
  const std::vector<float> a = {NAN, 1.0f, INFINITY, -INFINITY, 0.0f, -0.0f};
  const std::vector<float> b = {NAN, NAN, INFINITY, 3.0f, -0.0f, 0.0f};
  const std::vector<HostTensor> in = {HostTensor::floats("a", {6}, a), HostTensor::floats("b", {6}, b)};
  const RunResult r = run_model(one_node_model("GreaterOrEqual", 16, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  std::vector<uint8_t> want;
  for (size_t i = 0; i < a.size(); ++i) want.push_back(ref(a[i], b[i]));
  CHECK(r.outputs[0].raw == want);
}

TEST_CASE("GreaterOrEqual on integer types is exact") {
  const std::vector<int32_t> a = {16777217, -5, 7, std::numeric_limits<int32_t>::max()};
  const std::vector<int32_t> b = {16777216, -5};
  const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_INT32, {2, 2}, a),
                                      HostTensor::typed("b", CNNRT_INT32, {2}, b)};
  const RunResult r = run_model(one_node_model("GreaterOrEqual", 16, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  std::vector<uint8_t> want;
  for (size_t i = 0; i < 4; ++i) want.push_back(ref(a[i], b[i % 2]));
  CHECK(r.outputs[0].raw == want);
  const std::vector<HostTensor> in64 = {HostTensor::ints("a", {3}, {(int64_t{1} << 60) + 1, 0, -1}),
                                        HostTensor::ints("b", {}, {int64_t{1} << 60})};
  const RunResult r64 = run_model(one_node_model("GreaterOrEqual", 16, in64), in64);
  REQUIRE_MESSAGE(r64.status == CNNRT_OK, r64.error);
  CHECK(r64.outputs[0].raw == std::vector<uint8_t>{ref(1, 0), ref(0, 1), ref(-1, 1)});
}

TEST_CASE("GreaterOrEqual errors") {
  const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::floats("b", {3}, {})};
  const RunResult r = load_model(one_node_model("GreaterOrEqual", 16, in));
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'node' (GreaterOrEqual, domain ai.onnx, opset 16): shapes [2] and [3] cannot be broadcast "
                   "together (dim 0: 2 vs 3)");
  const std::vector<HostTensor> b = {HostTensor::typed("a", CNNRT_BOOL, {2}, std::vector<uint8_t>{}),
                                     HostTensor::typed("b", CNNRT_BOOL, {2}, std::vector<uint8_t>{})};
  const RunResult rb = load_model(one_node_model("GreaterOrEqual", 16, b));
  CHECK(rb.status == CNNRT_UNSUPPORTED);
  CHECK(rb.error == "<memory>: node 'node' (GreaterOrEqual, domain ai.onnx, opset 16): input 0 has element type bool; "
                    "supported: float, integer types");
}
