// Div against a naive reference: numpy broadcasting over every shape
// pattern (scalars, size-1 dims, rank mismatches, either side stretching),
// the legacy broadcast/axis attributes of opsets 1 and 6, integer types
// (exact, wrapping, truncating division), producer layouts kept, fused activations, and
// the errors a bad Div gives.
// The cases all four arithmetic ops share are in arith_cases.h.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "arith_cases.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return static_cast<float>(a) / static_cast<float>(b); }

const ArithOp op = {"Div", ref, /*b_away_from_zero=*/true};

}  // namespace

TEST_CASE("Div broadcasts like numpy") { check_arith_broadcasts(op); }

TEST_CASE("Div with broadcasts oneDNN has no jit kernel for (along the last dim)") {
  check_arith_unusual_broadcasts(op);
}

TEST_CASE("Div opsets 1 and 6: the broadcast and axis attributes") { check_arith_legacy(op); }

TEST_CASE("Div of two Conv outputs stays in their layout and fuses a Relu") { check_arith_of_conv_outputs(op); }

TEST_CASE("Div on integer types is exact") {
  SUBCASE("signed division truncates toward zero; INT_MIN / -1 wraps") {
    const std::vector<HostTensor> in = {
        HostTensor::typed("a", CNNRT_INT32, {5}, std::vector<int32_t>{7, -7, 7, -7, std::numeric_limits<int32_t>::min()}),
        HostTensor::typed("b", CNNRT_INT32, {5}, std::vector<int32_t>{2, 2, -2, -2, -1})};
    const RunResult r = run_model(one_node_model("Div", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<int32_t>() == std::vector<int32_t>{3, -3, -3, 3, std::numeric_limits<int32_t>::min()});
  }
  SUBCASE("uint8 and int64 with broadcasting") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_UINT8, {3}, std::vector<uint8_t>{255, 10, 3}),
                                        HostTensor::typed("b", CNNRT_UINT8, {}, std::vector<uint8_t>{4})};
    const RunResult r = run_model(one_node_model("Div", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<uint8_t>() == std::vector<uint8_t>{63, 2, 0});
    const std::vector<HostTensor> in64 = {HostTensor::ints("a", {}, {224}), HostTensor::ints("b", {2}, {7, -32})};
    const RunResult r64 = run_model(one_node_model("Div", 14, in64), in64);
    REQUIRE_MESSAGE(r64.status == CNNRT_OK, r64.error);
    CHECK(r64.outputs[0].i64 == std::vector<int64_t>{32, -7});
  }
  SUBCASE("integer division by zero fails the run instead of trapping") {
    const std::vector<HostTensor> in = {HostTensor::ints("a", {2}, {1, 2}), HostTensor::ints("b", {2}, {1, 0})};
    const RunResult r = run_model(one_node_model("Div", 14, in), in);
    CHECK(r.status == CNNRT_INVALID_ARGUMENT);
    CHECK(r.error == "node 'node' (Div): integer division by zero");
  }
}

TEST_CASE("Div errors") { run_arith_errors(op); }

TEST_CASE("Div by zero in float32 follows IEEE") {
  const std::vector<HostTensor> in = {HostTensor::floats("a", {3}, {1, -1, 0}), HostTensor::floats("b", {3}, {0, 0, 0})};
  const RunResult r = run_model(one_node_model("Div", 14, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f[0] == INFINITY);
  CHECK(r.outputs[0].f[1] == -INFINITY);
  CHECK(std::isnan(r.outputs[0].f[2]));
}
