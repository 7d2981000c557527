// ReduceL1 (ai.onnx 1-28): the sum of absolute values over `axes` (all dims
// when empty), on oneDNN's reduction (reduction_norm_lp_sum) with p = 1.0. axes
// is an attribute before opset 18 and an optional constant input from 18 on,
// where noop_with_empty_axes = 1 makes empty axes return the input. An empty
// reduced set gives 0. Shared logic: ops/common/reduce.cpp.
#include "ops/common/reduce.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

ReduceSpec spec() {
  ReduceSpec s;
  s.alg = dnnl::algorithm::reduction_norm_lp_sum;
  s.p = 1.0f;
  s.axes_input_opset = 18;
  s.empty_value = 0.0f;
  s.single = dnnl::algorithm::eltwise_abs;
  return s;
}

Status infer(InferContext& ctx) { return infer_reduce(ctx, spec()); }
Status lower(LowerContext& ctx) { return lower_reduce(ctx, spec()); }

}  // namespace

void register_reducel1(OpRegistry& r) {
  OpDef def;
  def.op_type = "ReduceL1";
  def.first_opset = 1;
  def.infer = infer;
  def.lower = lower;
  r.add(def);
}

}  // namespace cnnrt
