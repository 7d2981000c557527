// Min (ai.onnx 1-28): elementwise minimum of one or more inputs, numpy
// broadcasting from opset 8 (equal shapes before). float32 on oneDNN's
// binary_min, one step per extra input; integer types (opset 12+): an exact
// loop. oneDNN's min returns the other operand where one is NaN (numpy
// returns NaN).
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_min(InferContext& ctx) { return infer_variadic(ctx, true); }
Status lower_min(LowerContext& ctx) { return lower_variadic(ctx, BinaryOp::min, false); }

}  // namespace

void register_min(OpRegistry& r) {
  OpDef def;
  def.op_type = "Min";
  def.first_opset = 1;
  def.infer = infer_min;
  def.lower = lower_min;
  r.add(def);
}

}  // namespace cnnrt
