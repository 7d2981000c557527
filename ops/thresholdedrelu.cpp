// ThresholdedRelu (ai.onnx 10-28): x where x > alpha, else 0. No oneDNN
// algorithm; one binary primitive: (x > alpha) as 1/0, times x by a
// binary_mul post-op. Runs in the input's layout. Not fusable as a post-op
// (it reads x twice).
#include "ops/common/eltwise.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Status infer_thresholdedrelu(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(infer_float_unary(ctx));
  auto alpha = finite_float_attr(ctx.attrs(), "alpha", 1.0f);
  return alpha.status();
}

Status lower_thresholdedrelu(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(ctx.attrs(), "alpha", 1.0f));
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, dnnl_dims(ctx.input_dims(0)), /*keep_layout=*/true));
  const Operand threshold = scalar_constant(ctx, alpha, x.dims().size());
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_inplace(0, x.tensor, x.md));
  return add_binary(ctx, alg::binary_gt, x, threshold, Operand{dst, x.md}, {PostStep::binary(alg::binary_mul, x)});
}

}  // namespace

void register_thresholdedrelu(OpRegistry& r) {
  OpDef def;
  def.op_type = "ThresholdedRelu";
  def.first_opset = 10;
  def.infer = infer_thresholdedrelu;
  def.lower = lower_thresholdedrelu;
  r.add(def);
}

}  // namespace cnnrt
