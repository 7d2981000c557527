// Add (ai.onnx 1-28): A + B with numpy broadcasting (from opset 7; before it,
// the broadcast/axis attributes). float32 on oneDNN's binary_add, keeping
// the first operand's layout and writing in place when possible; fused
// activations (Add -> Relu in residual blocks) become its post-ops. Integer
// types: an exact, wrapping loop (see ops/common/binary.h).
#include "ops/common/binary.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

constexpr BinarySpec kSpec{BinaryOp::add, 7, false};

Status infer_add(InferContext& ctx) { return infer_binary(ctx, kSpec); }
Status lower_add(LowerContext& ctx) { return lower_binary(ctx, kSpec); }

// A residual Add of two float tensors of one shape can be a sum post-op of
// the convolution producing either of them (the fusion pass checks the rest).
// Not the legacy broadcast form (before opset 7).
bool add_as_sum_post_op(const Node& node) { return node.opset >= 7 && !node.attrs.has("broadcast"); }

}  // namespace

void register_add(OpRegistry& r) {
  OpDef def;
  def.op_type = "Add";
  def.first_opset = 1;
  def.infer = infer_add;
  def.lower = lower_add;
  def.accepts_post_ops = true;
  def.as_sum_post_op = add_as_sum_post_op;
  r.add(def);
}

}  // namespace cnnrt
