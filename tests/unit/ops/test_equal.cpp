// Equal against a naive reference: bool output over every broadcasting
// pattern, the legacy broadcast/axis attributes of opset 1, float32 on oneDNN and integer and bool inputs exact,
// NaN and infinities, and the errors a bad Equal gives.
// The cases all five comparisons share are in compare_cases.h.
#include <doctest/doctest.h>

#include "compare_cases.h"

using namespace cnnrt::test;

namespace {

bool ref(double a, double b) { return a == b; }

const CompareOp op = {"Equal", ref, {7, 11, 13, 19}, /*bools=*/true};

}  // namespace

TEST_CASE("Equal on float32 broadcasts like numpy") { check_compare_broadcasts(op); }

TEST_CASE("Equal opset 1: the broadcast and axis attributes") { check_compare_legacy(op); }

TEST_CASE("Equal with NaN and infinities") { check_compare_nan_and_infinities(op); }

TEST_CASE("Equal on integer types is exact") { check_compare_integers(op); }

TEST_CASE("Equal on bool inputs") {
  const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_BOOL, {4}, std::vector<uint8_t>{0, 1, 0, 1}),
                                      HostTensor::typed("b", CNNRT_BOOL, {4}, std::vector<uint8_t>{0, 0, 1, 1})};
  const RunResult r = run_model(one_node_model("Equal", 11, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].raw == std::vector<uint8_t>{1, 0, 0, 1});
}

TEST_CASE("Equal errors") { check_compare_errors(op); }
