// Ceil (ai.onnx 1-28). oneDNN 2.6 has no ceil algorithm; it is composed
// exactly from two primitives: r = round(x) (eltwise_round), then
// (r < x) + r (binary_lt with a binary_add post-op). Runs in the input's
// layout. Not fusable as a post-op (it reads x twice).
#include "ops/common/eltwise.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Status lower_ceil(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, dnnl_dims(ctx.input_dims(0)), /*keep_layout=*/true));
  const Operand r = temporary_like(ctx, x.md);
  CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, alg::eltwise_round, 0, 0, x, r));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, x.md));
  // r + 1 where rounding went down, r otherwise.
  return add_binary(ctx, alg::binary_lt, r, x, Operand{dst, x.md}, {PostStep::binary(alg::binary_add, r)});
}

Status infer_ceil(InferContext& ctx) { return infer_float_unary(ctx); }

}  // namespace

void register_ceil(OpRegistry& r) {
  OpDef def;
  def.op_type = "Ceil";
  def.first_opset = 1;
  def.infer = infer_ceil;
  def.lower = lower_ceil;
  r.add(def);
}

}  // namespace cnnrt
