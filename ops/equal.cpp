// Equal (ai.onnx 1-28): A == B as bool, numpy broadcasting (from opset 7;
// before it, the broadcast/axis attributes). float32 on oneDNN's binary_eq
// writing 0/1 bytes; integer and bool inputs: an exact loop.
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::equal, 7, true};

Status infer_equal(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_equal(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

}  // namespace

void register_equal(OpRegistry& r) {
  OpDef def;
  def.op_type = "Equal";
  def.first_opset = 1;
  def.infer = infer_equal;
  def.lower = lower_equal;
  def.accepts_post_ops = false;
  r.add(def);
}

}  // namespace cnnrt
