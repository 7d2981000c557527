// ReduceSum against a naive the sum: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceSum";
  op.axes_input_opset = 13;
  op.fold = [](const std::vector<double>& v) { return fold_sum(v); };
  return op;
}

}  // namespace

TEST_CASE("ReduceSum matches the reference") { run_reduce_cases(op()); }
