// Mul against a naive reference: numpy broadcasting over every shape
// pattern (scalars, size-1 dims, rank mismatches, either side stretching),
// the legacy broadcast/axis attributes of opsets 1 and 6, integer types
// (exact, wrapping), producer layouts kept, fused activations, and
// the errors a bad Mul gives.
// The cases all four arithmetic ops share are in arith_cases.h.
#include <doctest/doctest.h>

#include "arith_cases.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return static_cast<float>(a) * static_cast<float>(b); }

const ArithOp op = {"Mul", ref};

}  // namespace

TEST_CASE("Mul broadcasts like numpy") { check_arith_broadcasts(op); }

TEST_CASE("Mul with broadcasts oneDNN has no jit kernel for (along the last dim)") {
  check_arith_unusual_broadcasts(op);
}

TEST_CASE("Mul opsets 1 and 6: the broadcast and axis attributes") { check_arith_legacy(op); }

TEST_CASE("Mul of two Conv outputs stays in their layout and fuses a Relu") { check_arith_of_conv_outputs(op); }

TEST_CASE("Mul on integer types is exact") {
  SUBCASE("int8 wraps around") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_INT8, {3}, std::vector<int8_t>{100, -128, 7}),
                                        HostTensor::typed("b", CNNRT_INT8, {3}, std::vector<int8_t>{3, -1, -3})};
    const RunResult r = run_model(one_node_model("Mul", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<int8_t>() == std::vector<int8_t>{44, -128, -21});
  }
  SUBCASE("int64 products beyond float precision") {
    const std::vector<HostTensor> in = {HostTensor::ints("a", {2}, {123456789, -3}),
                                        HostTensor::ints("b", {1}, {1000000007})};
    const RunResult r = run_model(one_node_model("Mul", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{123456789LL * 1000000007LL, -3000000021LL});
  }
}

TEST_CASE("Mul errors") { run_arith_errors(op); }
