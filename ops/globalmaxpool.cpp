// GlobalMaxPool (ai.onnx 1-28): the maximum over every spatial dim,
// [N, C, D1, ...] -> [N, C, 1, ...], on oneDNN's pooling_v2 (a reduction
// beyond 3 spatial dims), in whatever layout the input arrives in.
#include "ops/common/global_pool.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status lower_global_max_pool(LowerContext& ctx) {
  return lower_global_pool(ctx, dnnl::algorithm::pooling_max, dnnl::algorithm::reduction_max);
}

}  // namespace

void register_globalmaxpool(OpRegistry& r) {
  OpDef def;
  def.op_type = "GlobalMaxPool";
  def.first_opset = 1;
  def.infer = infer_global_pool;
  def.lower = lower_global_max_pool;
  r.add(def);
}

}  // namespace cnnrt
