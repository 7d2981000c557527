// ReduceL2 against a naive the Euclidean norm: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceL2";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
  };
  return op;
}

}  // namespace

TEST_CASE("ReduceL2 matches the reference") { run_reduce_cases(op()); }
