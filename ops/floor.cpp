// Floor (ai.onnx 1-28). oneDNN 2.6 has no floor algorithm; it is composed
// exactly from two primitives: r = round(x) (eltwise_round), then
// r - (r > x) (binary_gt with r, then a binary_sub post-op and a negation).
// Runs in the input's layout. Not fusable as a post-op (it reads x twice).
#include "ops/common/eltwise.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Status lower_floor(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, dnnl_dims(ctx.input_dims(0)), /*keep_layout=*/true));
  const Operand r = temporary_like(ctx, x.md);
  CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, alg::eltwise_round, 0, 0, x, r));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, x.md));
  // (r > x) - r, negated: r - 1 where rounding went up, r otherwise.
  return add_binary(ctx, alg::binary_gt, r, x, Operand{dst, x.md},
                    {PostStep::binary(alg::binary_sub, r), PostStep::eltwise(alg::eltwise_linear, -1.0f, 0.0f)});
}

Status infer_floor(InferContext& ctx) { return infer_float_unary(ctx); }

}  // namespace

void register_floor(OpRegistry& r) {
  OpDef def;
  def.op_type = "Floor";
  def.first_opset = 1;
  def.infer = infer_floor;
  def.lower = lower_floor;
  r.add(def);
}

}  // namespace cnnrt
