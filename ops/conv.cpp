// Conv (ai.onnx 1-28): 1-D, 2-D and 3-D convolution with groups (depthwise
// included), strides, dilations, explicit or automatic padding and an
// optional bias, on oneDNN's convolution_forward. Layouts are left to oneDNN
// (format_tag::any); weights are reordered once into its preferred layout.
#include "ops/common/spatial.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

using tag = dnnl::memory::format_tag;

// See read_conv.
constexpr int64_t kMaxPaddedPositions = 16384;

struct ConvShape {
  int64_t group = 1;
  SpatialParams sp;
};

Result<ConvShape> read_conv(const Attributes& attrs, const Dims& x, const Dims& w) {
  ConvShape c;
  CNNRT_ASSIGN_OR_RETURN(c.group, attrs.get_int("group", 1));
  if (c.group < 1) return invalid_model("group must be >= 1, got ", c.group);
  const int64_t channels = x[1], filters = w[0];
  if (filters % c.group != 0)
    return invalid_model("the weight's ", filters, " output channels are not divisible by group ", c.group);
  int64_t expected = 0;
  if (__builtin_mul_overflow(w[1], c.group, &expected))
    return invalid_model("group ", c.group, " times the weight's ", w[1], " input channels overflows");
  if (channels >= 0 && channels != expected)
    return invalid_model("the input has ", channels, " channels but the weight ", dims_str(w), " with group ", c.group,
                         " expects ", expected);
  Dims in(x.begin() + 2, x.end()), kernel(w.begin() + 2, w.end());
  CNNRT_ASSIGN_OR_RETURN(c.sp, read_spatial(attrs, in, &kernel, /*ceil_mode=*/false, /*dilations=*/true));
  // oneDNN's brgconv spends ~10 us at primitive creation on each output
  // position whose window overlaps the padding; a hostile model with a huge
  // pad (or dilation) would make session creation take minutes. Real models
  // have a handful of such positions per dim.
  for (size_t i = 0; i < in.size(); ++i)
    if (padded_positions(c.sp, in, i) > kMaxPaddedPositions)
      return unsupported("pads ", dims_str(c.sp.pads_begin), " / ", dims_str(c.sp.pads_end), " with kernel ",
                         dims_str(c.sp.kernel), " and dilations ", dims_str(c.sp.dilations), " put ",
                         padded_positions(c.sp, in, i), " outputs of spatial dim ", i,
                         " over the padding (at most ", kMaxPaddedPositions, " are supported)");
  return c;
}

Status infer_conv(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 3));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 3, 5));
  const Dims& x = ctx.input_shape(0);
  const Dims& w = ctx.input_shape(1);
  if (w.size() != x.size())
    return invalid_model("the weight ", dims_str(w), " must have the input's rank ", x.size());
  for (int64_t d : w)
    if (d < 0) return unsupported("the weight's shape ", dims_str(w), " must be known");
  if (ctx.has_input(2)) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(2, {DType::f32}));
    const Dims& b = ctx.input_shape(2);
    if (b.size() != 1 || b[0] != w[0])
      return invalid_model("the bias ", dims_str(b), " must have shape [", w[0], "]");
  }
  CNNRT_ASSIGN_OR_RETURN(ConvShape c, read_conv(ctx.attrs(), x, w));
  Dims y = {x[0], w[0]};
  y.insert(y.end(), c.sp.out.begin(), c.sp.out.end());
  ctx.set_output(0, DType::f32, y);
  return ok_status();
}

Status lower_conv(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const Dims& w = ctx.input_dims(1);
  const Dims& y = ctx.output_dims(0);
  CNNRT_ASSIGN_OR_RETURN(ConvShape c, read_conv(ctx.attrs(), x, w));
  const Dims in_spatial(x.begin() + 2, x.end());
  const auto f32 = dnnl::memory::data_type::f32;

  // Grouped weights are [G, M/G, C/G, k...] for oneDNN, the same bytes as
  // ONNX's [M, C/G, k...].
  Dims wdims = w;
  if (c.group > 1) {
    wdims = {c.group, w[0] / c.group};
    wdims.insert(wdims.end(), w.begin() + 1, w.end());
  }
  const dnnl::memory::desc src_any(x, f32, tag::any);
  const dnnl::memory::desc w_any(wdims, f32, tag::any);
  const dnnl::memory::desc dst_any(y, f32, tag::any);
  const bool has_bias = ctx.has_input(2);
  const dnnl::memory::desc bias_md({w[0]}, f32, tag::a);

  const auto algo = dnnl::algorithm::convolution_direct;
  const Dims strides = c.sp.strides, dil = dnnl_dilations(c.sp), pl = c.sp.pads_begin,
             pr = dnnl_pads_end(c.sp, in_spatial);
  auto desc = has_bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algo, src_any, w_any,
                                                         bias_md, dst_any, strides, dil, pl, pr)
                       : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algo, src_any, w_any,
                                                         dst_any, strides, dil, pl, pr);
  dnnl::convolution_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());

  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc w_plain, plain_md(DType::f32, wdims));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, w_plain, pd.weights_desc()));
  int bias = -1;
  if (has_bias) {
    CNNRT_ASSIGN_OR_RETURN(bias, ctx.input(2, pd.bias_desc()));
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  const int scratch = ctx.scratchpad(pd.scratchpad_desc());

  double macs = static_cast<double>(numel(y)) * static_cast<double>(w[1]);
  for (size_t i = 2; i < w.size(); ++i) macs *= static_cast<double>(w[i]);
  ctx.add_primitive(dnnl::convolution_forward(pd), pd,
                    {{DNNL_ARG_SRC, src},
                     {DNNL_ARG_WEIGHTS, wt},
                     {DNNL_ARG_BIAS, bias},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, scratch}},
                    2 * macs);
  return ok_status();
}

}  // namespace

void register_conv(OpRegistry& r) {
  OpDef def;
  def.op_type = "Conv";
  def.first_opset = 1;
  def.infer = infer_conv;
  def.lower = lower_conv;
  def.accepts_post_ops = true;
  r.add(def);
}

}  // namespace cnnrt
