// ArgMax (ai.onnx 1-28): the int64 index of the largest element along axis
// (negative axes from opset 11), keepdims, select_last_index from opset 12.
// A plain loop: the result is an index (ops/common/arg_extreme.cpp).
#include "ops/common/arg_extreme.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status lower(LowerContext& ctx) { return lower_arg_extreme(ctx, /*largest=*/true); }

}  // namespace

void register_argmax(OpRegistry& r) {
  OpDef def;
  def.op_type = "ArgMax";
  def.first_opset = 1;
  def.infer = infer_arg_extreme;
  def.lower = lower;
  r.add(def);
}

}  // namespace cnnrt
