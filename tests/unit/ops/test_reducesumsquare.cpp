// ReduceSumSquare against a naive the sum of squares: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceSumSquare";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return s;
  };
  return op;
}

}  // namespace

TEST_CASE("ReduceSumSquare matches the reference") { run_reduce_cases(op()); }
