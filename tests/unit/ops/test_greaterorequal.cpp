// GreaterOrEqual against a naive reference: bool output over every broadcasting
// pattern, float32 on oneDNN and integer inputs exact,
// NaN and infinities, and the errors a bad GreaterOrEqual gives.
// The cases all five comparisons share are in compare_cases.h.
#include <doctest/doctest.h>

#include "compare_cases.h"

using namespace cnnrt::test;

namespace {

bool ref(double a, double b) { return a >= b; }

const CompareOp op = {"GreaterOrEqual", ref, {12, 16}, /*bools=*/false};

}  // namespace

TEST_CASE("GreaterOrEqual on float32 broadcasts like numpy") { check_compare_broadcasts(op); }

TEST_CASE("GreaterOrEqual with NaN and infinities") { check_compare_nan_and_infinities(op); }

TEST_CASE("GreaterOrEqual on integer types is exact") { check_compare_integers(op); }

TEST_CASE("GreaterOrEqual errors") { check_compare_errors(op); }
