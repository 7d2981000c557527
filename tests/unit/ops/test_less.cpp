// Less against a naive reference: bool output over every broadcasting
// pattern, the legacy broadcast/axis attributes of opset 1, float32 on oneDNN and integer inputs exact,
// NaN and infinities, and the errors a bad Less gives.
// The cases all five comparisons share are in compare_cases.h.
#include <doctest/doctest.h>

#include "compare_cases.h"

using namespace cnnrt::test;

namespace {

bool ref(double a, double b) { return a < b; }

const CompareOp op = {"Less", ref, {7, 9, 13}, /*bools=*/false};

}  // namespace

TEST_CASE("Less on float32 broadcasts like numpy") { check_compare_broadcasts(op); }

TEST_CASE("Less opset 1: the broadcast and axis attributes") { check_compare_legacy(op); }

TEST_CASE("Less with NaN and infinities") { check_compare_nan_and_infinities(op); }

TEST_CASE("Less on integer types is exact") { check_compare_integers(op); }

TEST_CASE("Less errors") { check_compare_errors(op); }
