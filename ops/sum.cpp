// Sum (ai.onnx 1-28): elementwise sum of one or more float32 inputs, numpy
// broadcasting from opset 8 (equal shapes before). Equally shaped inputs:
// one oneDNN sum primitive; otherwise binary_add steps.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_sum(InferContext& ctx) { return infer_variadic(ctx, false); }
Status lower_sum(LowerContext& ctx) { return lower_variadic(ctx, BinaryOp::add, false); }

}  // namespace

void register_sum(OpRegistry& r) {
  OpDef def;
  def.op_type = "Sum";
  def.first_opset = 1;
  def.infer = infer_sum;
  def.lower = lower_sum;
  r.add(def);
}

}  // namespace cnnrt
