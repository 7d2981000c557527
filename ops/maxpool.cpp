// MaxPool (ai.onnx 1-28): 1-D to 3-D max pooling with strides, pads,
// auto_pad, ceil_mode (opset 10+) and dilations (opset 10+), on oneDNN's
// pooling_v2. Works in whatever layout its input arrives in, so a Conv ->
// MaxPool pair needs no conversion. The optional Indices output is refused.
#include "ops/common/spatial.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {


Result<SpatialParams> read_maxpool(const Attributes& attrs, int opset, const Dims& x) {
  const Dims in(x.begin() + 2, x.end());
  return read_spatial(attrs, in, nullptr, /*ceil_mode=*/opset >= 10, /*dilations=*/opset >= 10);
}

Status infer_maxpool(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32, DType::u8, DType::i8}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 3, 5));
  if (ctx.has_output(1)) return unsupported("the Indices output is not supported");
  CNNRT_ASSIGN_OR_RETURN(int64_t order, ctx.attrs().get_int("storage_order", 0));
  if (order != 0 && order != 1) return invalid_model("storage_order must be 0 or 1, got ", order);
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(SpatialParams sp, read_maxpool(ctx.attrs(), ctx.opset(), x));
  Dims y = {x[0], x[1]};
  y.insert(y.end(), sp.out.begin(), sp.out.end());
  ctx.set_output(0, ctx.input_dtype(0), y);
  return ok_status();
}

Status lower_maxpool(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(SpatialParams sp, read_maxpool(ctx.attrs(), ctx.opset(), x));
  const Dims in(x.begin() + 2, x.end());
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc src_md, ctx.input_md_stored(0));
  const dnnl::memory::desc dst_any(ctx.output_dims(0), src_md.data_type(), dnnl::memory::format_tag::any);
  dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max, src_md,
                                      dst_any, sp.strides, sp.kernel, dnnl_dilations(sp), sp.pads_begin,
                                      dnnl_pads_end(sp, in));
  dnnl::pooling_v2_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  double ops = static_cast<double>(numel(ctx.output_dims(0)));
  for (int64_t k : sp.kernel) ops *= static_cast<double>(k);
  ctx.add_primitive(dnnl::pooling_v2_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    ops);
  return ok_status();
}

}  // namespace

void register_maxpool(OpRegistry& r) {
  OpDef def;
  def.op_type = "MaxPool";
  def.first_opset = 1;
  def.infer = infer_maxpool;
  def.lower = lower_maxpool;
  r.add(def);
}

}  // namespace cnnrt
