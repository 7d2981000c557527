// Where against a naive reference: condition, X and Y broadcast together
// (numpy rules, all three stretching), float32 (NaN and infinities copied
// bit for bit), int64, uint8 and bool values, and the errors a bad Where
// gives.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "support/elementwise.h"

using namespace cnnrt::test;

TEST_CASE("Where broadcasts condition, X and Y like numpy") {
  struct Case {
    Dims c, x, y;
  };
  const std::vector<Case> cases = {{{2, 3}, {2, 3}, {2, 3}}, {{3}, {2, 3}, {}},        {{2, 1}, {1, 3}, {3}},
                                   {{}, {4}, {4}},           {{2, 1, 5}, {3, 1}, {1, 3, 5}}, {{1}, {}, {}}};
  for (int opset : {9, 16})
    for (const Case& k : cases) {
      CAPTURE(opset);
      const Dims out = broadcast_dims(broadcast_dims(k.c, k.x), k.y);
      std::vector<uint8_t> c(element_count(k.c));
      const auto noise = random_floats(c.size(), 1, 0, 1);
      for (size_t i = 0; i < c.size(); ++i) c[i] = noise[i] < 0.5f;
      const auto x = random_floats(element_count(k.x), 2, -5, 5), y = random_floats(element_count(k.y), 3, -5, 5);
      const std::vector<HostTensor> in = {HostTensor::typed("c", CNNRT_BOOL, k.c, c), HostTensor::floats("x", k.x, x),
                                          HostTensor::floats("v", k.y, y)};
      const RunResult r = run_model(one_node_model("Where", opset, in), in);
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == out);
      std::vector<float> want(element_count(out));
      for (size_t i = 0; i < want.size(); ++i)
        want[i] = c[broadcast_offset(k.c, out, i)] ? x[broadcast_offset(k.x, out, i)] : y[broadcast_offset(k.y, out, i)];
      CHECK(r.outputs[0].f == want);
    }
}

TEST_CASE("Where copies NaN and infinities unchanged") {
  const std::vector<HostTensor> in = {HostTensor::typed("c", CNNRT_BOOL, {4}, std::vector<uint8_t>{1, 0, 1, 0}),
                                      HostTensor::floats("x", {4}, {NAN, 1, -INFINITY, 2}),
                                      HostTensor::floats("v", {4}, {0, INFINITY, 0, -0.0f})};
  const RunResult r = run_model(one_node_model("Where", 16, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  const auto& y = r.outputs[0].f;
  CHECK(std::isnan(y[0]));
  CHECK(y[1] == INFINITY);
  CHECK(y[2] == -INFINITY);
  CHECK(std::signbit(y[3]));
}

TEST_CASE("Where on int64, uint8 and bool values") {
  const auto cond = HostTensor::typed("c", CNNRT_BOOL, {2, 2}, std::vector<uint8_t>{1, 0, 0, 1});
  const std::vector<HostTensor> i64 = {cond, HostTensor::ints("x", {2, 2}, {1, int64_t{1} << 50, 3, 4}),
                                       HostTensor::ints("v", {2}, {-1, -2})};
  const RunResult r = run_model(one_node_model("Where", 16, i64), i64);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].i64 == std::vector<int64_t>{1, -2, -1, 4});
  const std::vector<HostTensor> u8 = {cond, HostTensor::typed("x", CNNRT_UINT8, {}, std::vector<uint8_t>{200}),
                                      HostTensor::typed("v", CNNRT_UINT8, {}, std::vector<uint8_t>{7})};
  const RunResult r8 = run_model(one_node_model("Where", 16, u8), u8);
  REQUIRE_MESSAGE(r8.status == CNNRT_OK, r8.error);
  CHECK(r8.outputs[0].as<uint8_t>() == std::vector<uint8_t>{200, 7, 7, 200});
  const std::vector<HostTensor> b = {cond, HostTensor::typed("x", CNNRT_BOOL, {}, std::vector<uint8_t>{0}),
                                     HostTensor::typed("v", CNNRT_BOOL, {}, std::vector<uint8_t>{1})};
  const RunResult rb = run_model(one_node_model("Where", 16, b), b);
  REQUIRE_MESSAGE(rb.status == CNNRT_OK, rb.error);
  CHECK(rb.outputs[0].raw == std::vector<uint8_t>{0, 1, 1, 0});
}

TEST_CASE("Where errors") {
  SUBCASE("a condition that is not bool") {
    const std::vector<HostTensor> in = {HostTensor::floats("c", {2}, {}), HostTensor::floats("x", {2}, {}),
                                        HostTensor::floats("v", {2}, {})};
    const RunResult r = load_model(one_node_model("Where", 16, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (Where, domain ai.onnx, opset 16): input 0 ('c') has element type float; "
                     "supported: bool");
  }
  SUBCASE("X and Y of different types") {
    const std::vector<HostTensor> in = {HostTensor::typed("c", CNNRT_BOOL, {2}, std::vector<uint8_t>{}),
                                        HostTensor::floats("x", {2}, {}), HostTensor::ints("v", {2}, {})};
    const RunResult r = load_model(one_node_model("Where", 16, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Where, domain ai.onnx, opset 16): X and Y have different element types "
                     "(float and int64)");
  }
  SUBCASE("shapes that do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::typed("c", CNNRT_BOOL, {3}, std::vector<uint8_t>{}),
                                        HostTensor::floats("x", {2}, {}), HostTensor::floats("v", {2}, {})};
    const RunResult r = load_model(one_node_model("Where", 16, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Where, domain ai.onnx, opset 16): shapes [3] and [2] cannot be broadcast "
                     "together (dim 0: 3 vs 2)");
  }
}
