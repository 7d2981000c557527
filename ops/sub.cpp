// Sub (ai.onnx 1-28): A - B with numpy broadcasting (from opset 7; before it,
// the broadcast/axis attributes). float32 on oneDNN's binary_sub (as -(B - A)
// when only B has the output's shape); fused activations become post-ops.
// Integer types: an exact, wrapping loop.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::sub, 7, false};

Status infer_sub(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_sub(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_sub(OpRegistry& r) {
  OpDef def;
  def.op_type = "Sub";
  def.first_opset = 1;
  def.infer = infer_sub;
  def.lower = lower_sub;
  def.accepts_post_ops = true;
  r.add(def);
}

}  // namespace cnnrt
