// Max (ai.onnx 1-28): elementwise maximum of one or more inputs, numpy
// broadcasting from opset 8 (equal shapes before). float32 on oneDNN's
// binary_max, one step per extra input; integer types (opset 12+): an exact
// loop. oneDNN's max returns the other operand where one is NaN (numpy
// returns NaN).
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_max(InferContext& ctx) { return infer_variadic(ctx, true); }
Status lower_max(LowerContext& ctx) { return lower_variadic(ctx, BinaryOp::max, false); }

}  // namespace

void register_max(OpRegistry& r) {
  OpDef def;
  def.op_type = "Max";
  def.first_opset = 1;
  def.infer = infer_max;
  def.lower = lower_max;
  r.add(def);
}

}  // namespace cnnrt
