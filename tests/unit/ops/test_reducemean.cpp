// ReduceMean against a naive the mean: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceMean";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) { return fold_sum(v) / static_cast<double>(v.size()); };
  return op;
}

}  // namespace

TEST_CASE("ReduceMean matches the reference") { run_reduce_cases(op()); }
