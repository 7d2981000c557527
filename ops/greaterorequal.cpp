// GreaterOrEqual (ai.onnx 12-28): A >= B as bool with numpy broadcasting.
// float32 on oneDNN's binary_ge writing 0/1 bytes; integer inputs: an exact
// loop.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::greater_equal, 0, true};

Status infer_greaterorequal(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_greaterorequal(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_greaterorequal(OpRegistry& r) {
  OpDef def;
  def.op_type = "GreaterOrEqual";
  def.first_opset = 12;
  def.infer = infer_greaterorequal;
  def.lower = lower_greaterorequal;
  def.accepts_post_ops = false;
  r.add(def);
}

}  // namespace cnnrt
