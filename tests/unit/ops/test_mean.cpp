// Mean against a naive reference: one to four inputs, numpy broadcasting
// from opset 8 (equal shapes before, opsets 1 and 6), and the errors
// a bad Mean gives.
// The cases all four variadic ops share are in variadic_cases.h.
#include <doctest/doctest.h>

#include "variadic_cases.h"

using namespace cnnrt::test;

namespace {

// The reference: the mean over the inputs at each output element.
double fold(const std::vector<double>& v) {
  double acc = v[0];
  for (size_t k = 1; k < v.size(); ++k) acc = acc + v[k];
  return acc / static_cast<double>(v.size());
}

const VariadicOp op = {"Mean", fold, /*integers=*/false};

}  // namespace

TEST_CASE("Mean of equally shaped inputs, every opset") { check_variadic_equal_shapes(op); }

TEST_CASE("Mean broadcasts like numpy from opset 8") { check_variadic_broadcasts(op); }

TEST_CASE("Mean of Conv outputs in their own layout") { check_variadic_of_conv_outputs(op); }

TEST_CASE("Mean errors") { run_variadic_errors(op); }
