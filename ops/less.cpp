// Less (ai.onnx 1-28): A < B as bool, numpy broadcasting (from opset 7;
// before it, the broadcast/axis attributes). float32 on oneDNN's binary_lt
// writing 0/1 bytes; integer inputs: an exact loop.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::less, 7, true};

Status infer_less(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_less(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_less(OpRegistry& r) {
  OpDef def;
  def.op_type = "Less";
  def.first_opset = 1;
  def.infer = infer_less;
  def.lower = lower_less;
  def.accepts_post_ops = false;
  r.add(def);
}

}  // namespace cnnrt
