// Softsign (ai.onnx 1-28): x / (1 + |x|). No oneDNN algorithm; two
// primitives: t = 1 + |x| (x * 1 with abs and linear post-ops), then
// binary_div(x, t). Runs in the input's layout. Not fusable as a post-op
// (it reads x twice).
#include "ops/common/eltwise.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Status lower_softsign(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, dnnl_dims(ctx.input_dims(0)), /*keep_layout=*/true));
  const Operand one = scalar_constant(ctx, 1.0f, x.dims().size());
  const Operand t = temporary_like(ctx, x.md);
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_mul, x, one, t,
                                   {PostStep::eltwise(alg::eltwise_abs), PostStep::eltwise(alg::eltwise_linear, 1, 1)}));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_inplace(0, x.tensor, x.md));
  return add_binary(ctx, alg::binary_div, x, t, Operand{dst, x.md});
}

Status infer_softsign(InferContext& ctx) { return infer_float_unary(ctx); }

}  // namespace

void register_softsign(OpRegistry& r) {
  OpDef def;
  def.op_type = "Softsign";
  def.first_opset = 1;
  def.infer = infer_softsign;
  def.lower = lower_softsign;
  r.add(def);
}

}  // namespace cnnrt
