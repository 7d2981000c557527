// Erf (ai.onnx 9-28). oneDNN 2.6 has no erf algorithm; the closest is
// eltwise_gelu_erf, gelu(z) = z * Phi(z) = z * (1 + erf(z / sqrt 2)) / 2, so
//   erf(y) = sqrt2 * gelu(sqrt2 * y) / y - 1,
// composed from oneDNN primitives:
//   c = clamp(y, -6, 6)       erf is +-1 in float beyond |y| > 3.9; keeps
//                             +-inf finite (NaN becomes -6 here...)
//   g = sqrt2 * gelu(sqrt2 c) one binary primitive with post-ops
//   d = (c == 0) + c          the divisor, 1 where c is 0
//   n = sqrt(1 - 2 (y != y)) - 1   exactly 0, or NaN where y is NaN
//                                  (...restored here)
//   erf = (g + (d - c)) / d - 1 + n   (at 0: (0 + 1) / 1 - 1 = 0)
// Absolute error about 1e-7 (relative error grows for |y| < 1e-3, where
// the subtraction of 1 cancels). Not fusable as a post-op.
#include <cmath>

#include "ops/common/eltwise.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Status lower_erf(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(Operand y, input_operand(ctx, 0, dnnl_dims(ctx.input_dims(0)), /*keep_layout=*/true));
  const size_t rank = y.dims().size();
  const float sqrt2 = static_cast<float>(std::sqrt(2.0));
  const Operand zero = scalar_constant(ctx, 0.0f, rank);
  const Operand c = temporary_like(ctx, y.md), g = temporary_like(ctx, y.md), d = temporary_like(ctx, y.md),
                n = temporary_like(ctx, y.md);
  CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, alg::eltwise_clip, -6.0f, 6.0f, y, c));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_mul, c, scalar_constant(ctx, sqrt2, rank), g,
                                   {PostStep::eltwise(alg::eltwise_gelu_erf, 0, 0, sqrt2)}));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_eq, c, zero, d, {PostStep::binary(alg::binary_add, c)}));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_ne, y, y, n,
                                   {PostStep::eltwise(alg::eltwise_linear, -2.0f, 1.0f), PostStep::eltwise(alg::eltwise_sqrt),
                                    PostStep::binary(alg::binary_sub, scalar_constant(ctx, 1.0f, rank))}));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, y.md));
  return add_binary(ctx, alg::binary_sub, d, c, Operand{dst, y.md},
                    {PostStep::binary(alg::binary_add, g), PostStep::binary(alg::binary_div, d),
                     PostStep::eltwise(alg::eltwise_linear, 1.0f, -1.0f), PostStep::binary(alg::binary_add, n)});
}

Status infer_erf(InferContext& ctx) { return infer_float_unary(ctx); }

}  // namespace

void register_erf(OpRegistry& r) {
  OpDef def;
  def.op_type = "Erf";
  def.first_opset = 9;
  def.infer = infer_erf;
  def.lower = lower_erf;
  r.add(def);
}

}  // namespace cnnrt
