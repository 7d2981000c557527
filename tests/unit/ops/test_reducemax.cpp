// ReduceMax against a naive the maximum: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceMax";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) { return v.empty() ? -std::numeric_limits<double>::infinity() : *std::max_element(v.begin(), v.end()); };
  return op;
}

}  // namespace

TEST_CASE("ReduceMax matches the reference") { run_reduce_cases(op()); }
