// ReduceLogSumExp (ai.onnx 1-28): log(sum(exp(x))), shifted by the maximum so
// large inputs do not overflow over `axes` (all dims when empty), on oneDNN
// primitives: max reduction, subtract with exp post-op, sum reduction with log
// and add post-ops. axes is an attribute before opset 18 and an optional
// constant input from 18 on, where noop_with_empty_axes = 1 makes empty axes
// return the input. An empty reduced set gives -inf. Shared logic:
// ops/common/reduce.cpp.
#include <limits>

#include "ops/common/reduce.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

ReduceSpec spec() {
  ReduceSpec s;
  s.alg = dnnl::algorithm::reduction_sum;
  s.finish = ReduceSpec::Finish::log_sum_exp;
  s.axes_input_opset = 18;
  s.empty_value = -std::numeric_limits<float>::infinity();
  return s;
}

Status infer(InferContext& ctx) { return infer_reduce(ctx, spec()); }
Status lower(LowerContext& ctx) { return lower_reduce(ctx, spec()); }

}  // namespace

void register_reducelogsumexp(OpRegistry& r) {
  OpDef def;
  def.op_type = "ReduceLogSumExp";
  def.first_opset = 1;
  def.infer = infer;
  def.lower = lower;
  r.add(def);
}

}  // namespace cnnrt
