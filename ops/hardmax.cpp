// Hardmax (ai.onnx 1-28): 1 at the first maximum along the axis, 0
// elsewhere. Before opset 13 the input is seen as 2-D
// [prod(d[:axis]), prod(d[axis:])] (default axis 1); from 13 along `axis`
// (default -1). A plain loop: the result is an arg-max written as a one-hot
// vector, and oneDNN's compare primitives would mark every tied maximum
// where ONNX marks only the first.
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<int64_t> hardmax_axis(const Attributes& attrs, int opset, int64_t rank) {
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, attrs.get_int("axis", opset >= 13 ? -1 : 1));
  if (opset < 13 && axis == rank) return invalid_model("axis ", axis, " is out of range for rank ", rank);
  return normalize_axis(axis, rank, "axis");
}

Status infer_hardmax(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, DNNL_MAX_NDIMS));
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, hardmax_axis(ctx.attrs(), ctx.opset(), ctx.input_rank(0)));
  (void)axis;
  ctx.set_output(0, DType::f32, ctx.input_shape(0));
  return ok_status();
}

Status lower_hardmax(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, hardmax_axis(ctx.attrs(), ctx.opset(), rank));
  // Groups of `len` elements `inner` apart; before 13 everything from axis
  // on is one group.
  int64_t outer = 1, len = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (i < axis)
      outer *= x[i];
    else if (i == axis || ctx.opset() < 13)
      len *= x[i];
    else
      inner *= x[i];
  }
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_plain(0));
  Kernel k = [=](const KernelIO& io) {
    const float* in = static_cast<const float*>(io.in[0]);
    float* out = static_cast<float*>(io.out[0]);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t base = o * len * inner + i;
        int64_t best = 0;
        for (int64_t j = 0; j < len; ++j) {
          if (in[base + j * inner] > in[base + best * inner]) best = j;
          out[base + j * inner] = 0.0f;
        }
        if (len > 0) out[base + best * inner] = 1.0f;
      }
    return ok_status();
  };
  ctx.add_kernel("hardmax", std::move(k), {src}, {dst}, static_cast<double>(numel(x)));
  return ok_status();
}

}  // namespace

void register_hardmax(OpRegistry& r) {
  OpDef def;
  def.op_type = "Hardmax";
  def.first_opset = 1;
  def.infer = infer_hardmax;
  def.lower = lower_hardmax;
  r.add(def);
}

}  // namespace cnnrt
