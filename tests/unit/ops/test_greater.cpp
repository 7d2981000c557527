// Greater against a naive reference: bool output over every broadcasting
// pattern, the legacy broadcast/axis attributes of opset 1, float32 on oneDNN and integer inputs exact,
// NaN and infinities, and the errors a bad Greater gives.
// The cases all five comparisons share are in compare_cases.h.
#include <doctest/doctest.h>

#include "compare_cases.h"

using namespace cnnrt::test;

namespace {

bool ref(double a, double b) { return a > b; }

const CompareOp op = {"Greater", ref, {7, 9, 13}, /*bools=*/false};

}  // namespace

TEST_CASE("Greater on float32 broadcasts like numpy") { check_compare_broadcasts(op); }

TEST_CASE("Greater opset 1: the broadcast and axis attributes") { check_compare_legacy(op); }

TEST_CASE("Greater with NaN and infinities") { check_compare_nan_and_infinities(op); }

TEST_CASE("Greater on integer types is exact") { check_compare_integers(op); }

TEST_CASE("Greater errors") { check_compare_errors(op); }
