// ReduceLogSum (ai.onnx 1-28): log(sum(x)) over `axes` (all dims when empty),
// on oneDNN's reduction (reduction_sum) with a log post-op. axes is an
// attribute before opset 18 and an optional constant input from 18 on, where
// noop_with_empty_axes = 1 makes empty axes return the input. An empty reduced
// set gives -inf. Shared logic: ops/common/reduce.cpp.
#include <limits>

#include "ops/common/reduce.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

ReduceSpec spec() {
  ReduceSpec s;
  s.alg = dnnl::algorithm::reduction_sum;
  s.finish = ReduceSpec::Finish::log;
  s.axes_input_opset = 18;
  s.empty_value = -std::numeric_limits<float>::infinity();
  s.single = dnnl::algorithm::eltwise_log;
  return s;
}

Status infer(InferContext& ctx) { return infer_reduce(ctx, spec()); }
Status lower(LowerContext& ctx) { return lower_reduce(ctx, spec()); }

}  // namespace

void register_reducelogsum(OpRegistry& r) {
  OpDef def;
  def.op_type = "ReduceLogSum";
  def.first_opset = 1;
  def.infer = infer;
  def.lower = lower;
  r.add(def);
}

}  // namespace cnnrt
