// ReduceLogSumExp against a naive log of the sum of exponentials: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceLogSumExp";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) {
    // Shifted by the maximum: exp(1000) overflows even a double.
    if (v.empty()) return -std::numeric_limits<double>::infinity();
    const double m = *std::max_element(v.begin(), v.end());
    double s = 0;
    for (double x : v) s += std::exp(x - m);
    return m + std::log(s);
  };
  return op;
}

}  // namespace

TEST_CASE("ReduceLogSumExp matches the reference") { run_reduce_cases(op()); }

TEST_CASE("ReduceLogSumExp does not overflow on large inputs") {
  ReduceOp big = op();
  big.lo = 500.0f;
  big.hi = 1000.0f;
  check_reduce(big, 13, {3, 17, 4}, {1}, true, 77);
  check_reduce(big, 18, {3, 17, 4}, {}, false, 78);
}
