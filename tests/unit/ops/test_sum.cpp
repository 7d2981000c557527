// Sum against a naive reference: one to four inputs, numpy broadcasting
// from opset 8 (equal shapes before, opsets 1 and 6), and the errors
// a bad Sum gives.
// The cases all four variadic ops share are in variadic_cases.h.
#include <doctest/doctest.h>

#include "variadic_cases.h"

using namespace cnnrt::test;

namespace {

// The reference: the sum over the inputs at each output element.
double fold(const std::vector<double>& v) {
  double acc = v[0];
  for (size_t k = 1; k < v.size(); ++k) acc = acc + v[k];
  return acc;
}

const VariadicOp op = {"Sum", fold, /*integers=*/false};

}  // namespace

TEST_CASE("Sum of equally shaped inputs, every opset") { check_variadic_equal_shapes(op); }

TEST_CASE("Sum broadcasts like numpy from opset 8") { check_variadic_broadcasts(op); }

TEST_CASE("Sum of Conv outputs in their own layout") { check_variadic_of_conv_outputs(op); }

TEST_CASE("Sum errors") { run_variadic_errors(op); }
