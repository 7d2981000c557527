// LogSoftmax (ai.onnx 1-28): log(softmax(x)) on oneDNN's logsoftmax_forward,
// computed as x - max - log(sum(exp(x - max))) so large inputs do not
// overflow. Before opset 13 the input is seen as 2-D
// [prod(d[:axis]), prod(d[axis:])] and normalised over the second dim
// (default axis 1); from 13 it is normalised along `axis` (default -1).
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<int64_t> logsoftmax_axis(const Attributes& attrs, int opset, int64_t rank) {
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, attrs.get_int("axis", opset >= 13 ? -1 : 1));
  if (opset < 13 && axis == rank) return invalid_model("axis ", axis, " is out of range for rank ", rank);
  return normalize_axis(axis, rank, "axis");
}

Status infer_logsoftmax(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, DNNL_MAX_NDIMS));
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, logsoftmax_axis(ctx.attrs(), ctx.opset(), ctx.input_rank(0)));
  (void)axis;
  ctx.set_output(0, DType::f32, ctx.input_shape(0));
  return ok_status();
}

Status lower_logsoftmax(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, logsoftmax_axis(ctx.attrs(), ctx.opset(), rank));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (numel(x) == 0) return ok_status();
  // The shape oneDNN normalises over: the input itself, or its 2-D view.
  Dims shape = x;
  int dim = static_cast<int>(axis);
  if (ctx.opset() < 13) {
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < rank; ++i) (i < axis ? outer : inner) *= x[i];
    shape = {outer, inner};
    dim = 1;
  }
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, shape));
  dnnl::logsoftmax_forward::desc desc(dnnl::prop_kind::forward_inference, md, dim);
  dnnl::logsoftmax_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, md, md));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, md));
  ctx.add_primitive(dnnl::logsoftmax_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    4.0 * static_cast<double>(numel(x)));
  return ok_status();
}

}  // namespace

void register_logsoftmax(OpRegistry& r) {
  OpDef def;
  def.op_type = "LogSoftmax";
  def.first_opset = 1;
  def.infer = infer_logsoftmax;
  def.lower = lower_logsoftmax;
  r.add(def);
}

}  // namespace cnnrt
