// Div (ai.onnx 1-28): A / B with numpy broadcasting (from opset 7; before it,
// the broadcast/axis attributes). float32 on oneDNN's binary_div (IEEE:
// x / 0 is +-inf or NaN); fused activations become post-ops. Integer types:
// a loop truncating toward zero, as ONNX Runtime does; an integer division
// by zero fails the run with an error instead of trapping.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::div, 7, false};

Status infer_div(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_div(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_div(OpRegistry& r) {
  OpDef def;
  def.op_type = "Div";
  def.first_opset = 1;
  def.infer = infer_div;
  def.lower = lower_div;
  def.accepts_post_ops = true;
  r.add(def);
}

}  // namespace cnnrt
