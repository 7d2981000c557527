// ReduceLogSum against a naive log of the sum: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceLogSum";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) { return std::log(fold_sum(v)); };
  op.lo = 0.1f;  // log needs a positive sum
  return op;
}

}  // namespace

TEST_CASE("ReduceLogSum matches the reference") { run_reduce_cases(op()); }
