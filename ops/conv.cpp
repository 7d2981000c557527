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

// Whether to try oneDNN's FP32 Winograd (F(2x2,3x3) / F(4x4,3x3)) for this
// convolution. oneDNN 2.6 only has it for 3x3, stride 1, no dilation, no
// groups, and convolution_auto never picks it. Measured on this machine's
// Zen 4 at one thread against brgconv: 1.1-3.1x faster for 16+ channels in
// and out and >= ~3 MFLOP per image (64x64 at 7x7: 1.19x; 64x64 at 56x56:
// 2.4x), slower for thin inputs (3 -> 64 at 224x224: 0.37x; 8 -> 16: 0.68x)
// and for tiny maps (32x32 at 8x8: 0.15x, fixed costs dominate). Results
// differ from direct convolution by <= 2e-6 relative (STACK.md);
// CNNRT_CONV_DIRECT turns it off for bit-stable FP32.
//
// Its weights must first be transformed, once per model, by oneDNN's
// wino_reorder: single-threaded and slow, about 21 ns per weight element
// (a 512x512x3x3 weight: 55 ms), whereas a run saves roughly
// (direct time) x (1 - 1/speedup). Per (in, out) channel pair that is a
// cost of ~190 ns against a saving of ~0.16 ns x H x W x N x (1 - 1/speedup),
// so the transform pays back within about 16 runs only when the output has
// >= ~150 positions per image batch (14x14 at batch 1: 12 runs; 7x7 at batch
// 1: ~86 runs, not worth loading slower for).
bool winograd_pays(const ConvShape& c, const Dims& x, const Dims& w, double macs) {
  if (x.size() != 4 || c.group != 1) return false;
  if (w[2] != 3 || w[3] != 3) return false;
  for (size_t i = 0; i < 2; ++i)
    if (c.sp.strides[i] != 1 || c.sp.dilations[i] != 1) return false;
  const double per_image_mflop = 2.0 * macs / static_cast<double>(x[0]) / 1e6;
  const int64_t positions = x[0] * c.sp.out[0] * c.sp.out[1];
  return w[0] >= 16 && w[1] >= 16 && per_image_mflop >= 3.0 && positions >= 150;
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
  // bf16 sessions compute in bfloat16 (AVX-512 BF16: about twice the FP32
  // rate); the bias and accumulation stay float.
  const bool bf16 = ctx.options().precision == CompileOptions::Precision::bf16;
  const auto compute = bf16 ? dnnl::memory::data_type::bf16 : f32;
  const dnnl::memory::desc src_any(x, compute, tag::any);
  const dnnl::memory::desc w_any(wdims, compute, tag::any);
  const dnnl::memory::desc dst_any(y, compute, tag::any);
  const bool has_bias = ctx.has_input(2);
  const dnnl::memory::desc bias_md({w[0]}, f32, tag::a);

  const Dims strides = c.sp.strides, dil = dnnl_dilations(c.sp), pl = c.sp.pads_begin,
             pr = dnnl_pads_end(c.sp, in_spatial);
  auto make_desc = [&](dnnl::algorithm algo) {
    return has_bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algo, src_any, w_any,
                                                      bias_md, dst_any, strides, dil, pl, pr)
                    : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algo, src_any, w_any,
                                                      dst_any, strides, dil, pl, pr);
  };
  double macs = static_cast<double>(numel(y)) * static_cast<double>(w[1]);
  for (size_t i = 2; i < w.size(); ++i) macs *= static_cast<double>(w[i]);

  dnnl::convolution_forward::primitive_desc pd;
  if (!bf16 && ctx.options().conv_algorithm != CompileOptions::ConvAlgorithm::direct &&
      winograd_pays(c, x, w, macs)) {
    try {
      pd = dnnl::convolution_forward::primitive_desc(make_desc(dnnl::algorithm::convolution_winograd),
                                                     ctx.make_attr(), ctx.engine());
    } catch (const dnnl::error&) {
      pd = dnnl::convolution_forward::primitive_desc();  // no Winograd kernel for this case: direct below
    }
  }
  if (!pd) {
    pd = dnnl::convolution_forward::primitive_desc(make_desc(dnnl::algorithm::convolution_direct), ctx.make_attr(),
                                                   ctx.engine());
  }

  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc w_plain, plain_md(DType::f32, wdims));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, w_plain, pd.weights_desc()));
  int bias = -1;
  if (has_bias) {
    CNNRT_ASSIGN_OR_RETURN(bias, ctx.input(2, pd.bias_desc()));
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_accumulating(0, pd.dst_desc()));
  const int scratch = ctx.scratchpad(pd.scratchpad_desc());

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
  def.accepts_sum_post_op = true;
  r.add(def);
}

}  // namespace cnnrt
