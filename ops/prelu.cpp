// PRelu (ai.onnx 1-28): x for x >= 0, slope * x below, on oneDNN's
// prelu_forward primitive. From opset 7 the slope broadcasts to X
// unidirectionally (numpy rules, right-aligned); before it (PyTorch's old
// exports) a slope of one element is shared and a 1-D slope of X's channel
// count is per channel (dim 1). X keeps the layout it arrives in; a
// constant slope is reordered once into the layout prelu wants. float32
// only (oneDNN's prelu has no integer path; the integer forms of opset 9+
// are refused).
#include "ops/common/broadcast.h"
#include "ops/common/onednn_steps.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// The slope's dims at X's rank, as the opset broadcasts it.
Result<Dims> slope_dims(int opset, const Dims& x, const Dims& slope) {
  const size_t rank = x.size();
  if (opset < 7) {
    bool single = true;
    for (int64_t d : slope) single = single && d == 1;
    if (single) return Dims(rank, 1);
    if (slope.size() == 1 && rank >= 2 && (slope[0] == x[1] || x[1] < 0)) {
      Dims d(rank, 1);
      d[1] = slope[0];
      return d;
    }
  }
  if (!broadcasts_to(slope, x))
    return invalid_model("the slope ", dims_str(slope), " cannot be broadcast to the input ", dims_str(x));
  return pad_leading(slope, rank);
}

Status infer_prelu(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 0, DNNL_MAX_NDIMS));
  auto d = slope_dims(ctx.opset(), ctx.input_shape(0), ctx.input_shape(1));
  if (!d.ok()) return d.status();
  ctx.set_output(0, DType::f32, ctx.input_shape(0));
  return ok_status();
}

Status lower_prelu(LowerContext& ctx) {
  const Dims x_dims = dnnl_dims(ctx.input_dims(0));
  CNNRT_ASSIGN_OR_RETURN(Dims w_dims, slope_dims(ctx.opset(), ctx.input_dims(0), ctx.input_dims(1)));
  w_dims = dnnl_dims(w_dims);
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, x_dims, /*keep_layout=*/true));
  const dnnl::memory::desc w_any(w_dims, dnnl::memory::data_type::f32, dnnl::memory::format_tag::any);
  dnnl::prelu_forward::desc desc(dnnl::prop_kind::forward_inference, x.md, w_any);
  dnnl::prelu_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc w_plain, plain_md(DType::f32, w_dims));
  CNNRT_ASSIGN_OR_RETURN(int w, ctx.input_as(1, w_plain, pd.weights_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  ctx.add_primitive(dnnl::prelu_forward(pd), pd,
                    {{DNNL_ARG_SRC, x.tensor},
                     {DNNL_ARG_WEIGHTS, w},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    2.0 * static_cast<double>(numel(x_dims)));
  return ok_status();
}

}  // namespace

void register_prelu(OpRegistry& r) {
  OpDef def;
  def.op_type = "PRelu";
  def.first_opset = 1;
  def.infer = infer_prelu;
  def.lower = lower_prelu;
  r.add(def);
}

}  // namespace cnnrt
