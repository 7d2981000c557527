// Mean (ai.onnx 1-28): elementwise mean of one or more float32 inputs, numpy
// broadcasting from opset 8 (equal shapes before). Equally shaped inputs:
// one oneDNN sum primitive with scales 1/n; otherwise binary_add steps, the
// last one scaling by 1/n.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_mean(InferContext& ctx) { return infer_variadic(ctx, false); }
Status lower_mean(LowerContext& ctx) { return lower_variadic(ctx, BinaryOp::add, true); }

}  // namespace

void register_mean(OpRegistry& r) {
  OpDef def;
  def.op_type = "Mean";
  def.first_opset = 1;
  def.infer = infer_mean;
  def.lower = lower_mean;
  r.add(def);
}

}  // namespace cnnrt
