// ReduceSum (ai.onnx 1-28): the sum over `axes` (all dims when empty), on
// oneDNN's reduction (reduction_sum). axes is an attribute before opset 13 and
// an optional constant input from 13 on, where noop_with_empty_axes = 1 makes
// empty axes return the input. An empty reduced set gives 0. Shared logic:
// ops/common/reduce.cpp.
#include "ops/common/reduce.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

ReduceSpec spec() {
  ReduceSpec s;
  s.alg = dnnl::algorithm::reduction_sum;
  s.axes_input_opset = 13;
  s.empty_value = 0.0f;
  return s;
}

Status infer(InferContext& ctx) { return infer_reduce(ctx, spec()); }
Status lower(LowerContext& ctx) { return lower_reduce(ctx, spec()); }

}  // namespace

void register_reducesum(OpRegistry& r) {
  OpDef def;
  def.op_type = "ReduceSum";
  def.first_opset = 1;
  def.infer = infer;
  def.lower = lower;
  r.add(def);
}

}  // namespace cnnrt
