// Mul (ai.onnx 1-28): A * B with numpy broadcasting (from opset 7; before it,
// the broadcast/axis attributes). float32 on oneDNN's binary_mul; fused
// activations become post-ops. Integer types: an exact, wrapping loop.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::mul, 7, false};

Status infer_mul(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_mul(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_mul(OpRegistry& r) {
  OpDef def;
  def.op_type = "Mul";
  def.first_opset = 1;
  def.infer = infer_mul;
  def.lower = lower_mul;
  def.accepts_post_ops = true;
  def.is_multiply = true;
  r.add(def);
}

}  // namespace cnnrt
