// Greater (ai.onnx 1-28): A > B as bool, numpy broadcasting (from opset 7;
// before it, the broadcast/axis attributes). float32 on oneDNN's binary_gt
// writing 0/1 bytes; integer inputs: an exact loop.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::greater, 7, true};

Status infer_greater(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_greater(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_greater(OpRegistry& r) {
  OpDef def;
  def.op_type = "Greater";
  def.first_opset = 1;
  def.infer = infer_greater;
  def.lower = lower_greater;
  def.accepts_post_ops = false;
  r.add(def);
}

}  // namespace cnnrt
