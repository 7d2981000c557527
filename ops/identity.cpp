// Identity (ai.onnx 1-28): the output is the input. No copy and no step:
// the output shares the input's bytes in whatever layout its producer chose,
// and a constant input folds away. Sequence and optional inputs never reach
// here (the loader refuses them).
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_identity(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  if (const TensorData* c = ctx.input_constant(0)) {
    ctx.set_output_constant(0, std::make_shared<TensorData>(*c));
    return ok_status();
  }
  ctx.set_output(0, ctx.input_dtype(0), ctx.input_shape(0));
  return ok_status();
}

Status lower_identity(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_alias(0, src));
  (void)dst;
  return ok_status();
}

}  // namespace

void register_identity(OpRegistry& r) {
  OpDef def;
  def.op_type = "Identity";
  def.first_opset = 1;
  def.infer = infer_identity;
  def.lower = lower_identity;
  r.add(def);
}

}  // namespace cnnrt
