// ReduceProd against a naive the product: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceProd";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) {
    double p = 1;
    for (double x : v) p *= x;
    return p;
  };
  op.lo = 0.5f;  // products of many values stay in range
  op.hi = 1.5f;
  return op;
}

}  // namespace

TEST_CASE("ReduceProd matches the reference") { run_reduce_cases(op()); }
