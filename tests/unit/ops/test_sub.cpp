// Sub against a naive reference: numpy broadcasting over every shape
// pattern (scalars, size-1 dims, rank mismatches, either side stretching),
// the legacy broadcast/axis attributes of opsets 1 and 6, integer types
// (exact, wrapping), producer layouts kept, fused activations, and
// the errors a bad Sub gives.
// The cases all four arithmetic ops share are in arith_cases.h.
#include <doctest/doctest.h>

#include "arith_cases.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return static_cast<float>(a) - static_cast<float>(b); }

const ArithOp op = {"Sub", ref};

}  // namespace

TEST_CASE("Sub broadcasts like numpy") { check_arith_broadcasts(op); }

TEST_CASE("Sub with broadcasts oneDNN has no jit kernel for (along the last dim)") {
  check_arith_unusual_broadcasts(op);
}

TEST_CASE("Sub opsets 1 and 6: the broadcast and axis attributes") { check_arith_legacy(op); }

TEST_CASE("Sub of two Conv outputs stays in their layout and fuses a Relu") { check_arith_of_conv_outputs(op); }

TEST_CASE("Sub on integer types is exact") {
  SUBCASE("uint8 wraps around") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_UINT8, {3}, std::vector<uint8_t>{5, 0, 200}),
                                        HostTensor::typed("b", CNNRT_UINT8, {3}, std::vector<uint8_t>{6, 255, 100})};
    const RunResult r = run_model(one_node_model("Sub", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<uint8_t>() == std::vector<uint8_t>{255, 1, 100});
  }
  SUBCASE("int64 with the first operand broadcast") {
    const std::vector<HostTensor> in = {HostTensor::ints("a", {}, {100}), HostTensor::ints("b", {2, 2}, {1, 2, 3, -4})};
    const RunResult r = run_model(one_node_model("Sub", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{99, 98, 97, 104});
  }
}

TEST_CASE("Sub errors") { run_arith_errors(op); }
