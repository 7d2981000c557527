// Conv (ai.onnx 1-28): 1-D, 2-D and 3-D convolution with groups (depthwise
// included), strides, dilations, explicit or automatic padding and an
// optional bias, on oneDNN's convolution_forward. Layouts are left to oneDNN
// (format_tag::any); weights are reordered once into its preferred layout.
// bf16 sessions compute in bfloat16; int8 sessions quantize (see
// lower_conv_int8).
#include <string>
#include <vector>

#include "ops/common/onednn_steps.h"
#include "ops/common/quantize.h"
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
// >= ~150 positions (14x14: 12 runs; 7x7: ~86 runs, not worth loading
// slower for). The positions are counted per image, not per batch: the
// transformed weights are 4x the plain ones (6x6 tiles for F(4x4,3x3)), and
// at batch 8 the 7x7 layers of ResNet-18 took 250 MB more (peak RSS 398
// MiB vs ONNX Runtime's 231) and doubled the first run, for 10 % of
// latency; ResNet-50 at batch 8 ran equally fast without them (474 -> 330
// MiB).
bool winograd_pays(const ConvShape& c, const Dims& x, const Dims& w, double macs) {
  if (x.size() != 4 || c.group != 1) return false;
  if (w[2] != 3 || w[3] != 3) return false;
  for (size_t i = 0; i < 2; ++i)
    if (c.sp.strides[i] != 1 || c.sp.dilations[i] != 1) return false;
  const double per_image_mflop = 2.0 * macs / static_cast<double>(x[0]) / 1e6;
  const int64_t positions = c.sp.out[0] * c.sp.out[1];  // per image (see above)
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

// The convolution's geometry in oneDNN's terms, shared by the float and
// int8 lowerings.
struct ConvDescParts {
  Dims x, wdims, y, strides, dil, pl, pr;
  bool has_bias = false;
  double macs = 0;
};

dnnl::convolution_forward::desc conv_desc(const ConvDescParts& p, dnnl::algorithm algo, const dnnl::memory::desc& src,
                                          const dnnl::memory::desc& w, const dnnl::memory::desc& dst) {
  const dnnl::memory::desc bias_md({p.wdims[0] * (p.wdims.size() > p.x.size() ? p.wdims[1] : 1)},
                                   dnnl::memory::data_type::f32, tag::a);
  return p.has_bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algo, src, w, bias_md, dst,
                                                      p.strides, p.dil, p.pl, p.pr)
                    : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algo, src, w, dst, p.strides,
                                                      p.dil, p.pl, p.pr);
}

// The convolution step itself, the same for every precision; bias -1 when
// there is none. Steps that run one after another may share a scratchpad
// (scratch); -1 gives the step its own.
void add_conv_step(LowerContext& ctx, const dnnl::convolution_forward::primitive_desc& pd, const ConvDescParts& p,
                   int src, int wt, int bias, int dst, int scratch = -1) {
  ctx.add_primitive(dnnl::convolution_forward(pd), pd,
                    {{DNNL_ARG_SRC, src},
                     {DNNL_ARG_WEIGHTS, wt},
                     {DNNL_ARG_BIAS, bias},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, scratch >= 0 ? scratch : ctx.scratchpad(pd.scratchpad_desc())}},
                    2 * p.macs);
}

// int8 sessions: a calibrated convolution runs on oneDNN's int8 kernels
// (VNNI here: about 3.9x its FP32 speed). The input is quantized by a
// Quantize step with the scale of its calibrated range (u8 after a ReLU,
// else s8), the weights once per model to s8 with one scale per output
// channel; the s32 accumulator comes back to float through output scales
// 1 / (src_scale * weight_scale[oc]). oneDNN 2.6 adds the bias before those
// scales, so the float bias is pre-multiplied by src_scale * weight_scale.
// The output stays float32, so fused post-ops (activations, the residual
// sum) run as in FP32.
//
// Stays float (returns false, nothing emitted): without a calibrated input
// range, for depthwise convolutions (oneDNN 2.6's int8 depthwise kernels
// are slower than its FP32 ones on this CPU), for weights or a bias that
// are not constants, or if oneDNN has no int8 kernel for the case.
Result<bool> lower_conv_int8(LowerContext& ctx, const ConvDescParts& p, int64_t group) {
  if (ctx.options().precision != CompileOptions::Precision::int8) return false;
  const ValueRange* range = ctx.input_range(0);
  const TensorData* w = ctx.input_constant(1);
  const TensorData* b = p.has_bias ? ctx.input_constant(2) : nullptr;
  const bool depthwise = group > 1 && ctx.input_dims(1)[1] == 1;
  if (!range || !w || (p.has_bias && !b) || depthwise) return false;

  using dt = dnnl::memory::data_type;
  const ActivationQuant src_q = activation_quant(*range);
  const std::vector<float> w_scales = per_channel_scales(*w);
  std::vector<float> out_scales(w_scales.size());
  for (size_t oc = 0; oc < w_scales.size(); ++oc) out_scales[oc] = 1.0f / (src_q.scale * w_scales[oc]);

  // The output goes straight to 8 bits, with the scale its readers would
  // quantize it with, when only int8 convolutions read it (saves a float
  // write and a Quantize step per such conv). The output scales then also
  // carry that scale; they apply before the post-ops, which is exact only
  // for post-ops that commute with a positive scale: none, or a plain ReLU.
  const ValueRange* out_range = ctx.quantizable_output_range(0);
  bool homogeneous = true;
  for (const PostOp& op : ctx.post_ops()) homogeneous = homogeneous && is_plain_relu(op);
  const bool quantized_out = out_range && homogeneous;
  const ActivationQuant dst_q = quantized_out ? activation_quant(*out_range) : ActivationQuant{dt::f32, 1.0f};

  auto make_pd = [&](const ActivationQuant& dq) {
    std::vector<float> scales(out_scales);
    for (float& s : scales) s *= dq.scale;
    dnnl::primitive_attr attr = ctx.make_attr();
    attr.set_output_scales(1 << 1, scales);  // per channel of the [N, OC, ...] output
    return dnnl::convolution_forward::primitive_desc(
        conv_desc(p, dnnl::algorithm::convolution_direct, dnnl::memory::desc(p.x, src_q.type, tag::any),
                  dnnl::memory::desc(p.wdims, dt::s8, tag::any), dnnl::memory::desc(p.y, dq.type, tag::any)),
        attr, ctx.engine());
  };
  dnnl::convolution_forward::primitive_desc pd;
  bool dst_quantized = quantized_out;
  try {
    pd = make_pd(dst_q);
  } catch (const dnnl::error&) {
    if (!quantized_out) return false;  // no int8 kernel for this case: float
    try {
      pd = make_pd(ActivationQuant{dt::f32, 1.0f});
      dst_quantized = false;
    } catch (const dnnl::error&) {
      return false;
    }
  }

  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_quantized(0, pd.src_desc(), QuantScales{{src_q.scale}, 0}));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc w_plain, plain_md(DType::f32, p.wdims));
  // Grouped weights are [G, OC/G, ...]: their output channel spans dims 0 and 1.
  const int w_mask = group > 1 ? (1 << 0) | (1 << 1) : (1 << 0);
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as_quantized(1, w_plain, pd.weights_desc(), QuantScales{w_scales, w_mask}));
  int bias = -1;
  if (b) {
    CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> scaled, TensorData::make(DType::f32, b->dims, "int8 bias"));
    float* q = reinterpret_cast<float*>(scaled->mutable_data());
    for (int64_t oc = 0; oc < b->count(); ++oc)
      q[oc] = b->as<float>()[oc] * src_q.scale * w_scales[static_cast<size_t>(oc)];
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc bias_plain, plain_md(DType::f32, b->dims));
    if (!(pd.bias_desc() == bias_plain)) return internal_error("the int8 convolution wants its bias in another layout");
    bias = ctx.constant(std::move(scaled), bias_plain);
  }
  int dst = -1;
  if (dst_quantized) {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output_quantized(0, pd.dst_desc(), dst_q.scale));
  } else {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output_accumulating(0, pd.dst_desc()));
  }
  add_conv_step(ctx, pd, p, src, wt, bias, dst);
  return true;
}

// md (a batch-1 layout) for `batch` images: the same layout, whose images
// follow each other (the per-image stride of plain, channels-last and
// channel-blocked layouts does not depend on the batch).
dnnl::memory::desc with_batch(const dnnl::memory::desc& md, int64_t batch) {
  dnnl_memory_desc_t d = md.data;
  d.dims[0] = d.padded_dims[0] = batch;
  return dnnl::memory::desc(d);
}

// oneDNN's Winograd convolution keeps the transformed input and output
// tiles of the whole batch in its scratchpad: GoogLeNet's conv3 at batch 8
// needs 62 MiB (its peak RSS: 188 MiB, ONNX Runtime's 159), 8x what one
// image needs. Where the batch-1 primitive runs the same kernel, the
// convolution is run image by image on views of the batch (the weights
// are transformed the same way), with one image's scratchpad.
Result<bool> lower_winograd_per_image(LowerContext& ctx, const ConvDescParts& parts,
                                      const dnnl::convolution_forward::primitive_desc& batch_pd) {
  const int64_t n = parts.x[0];
  constexpr size_t kSmallScratchpad = size_t{4} << 20;  // below this, one primitive for the batch
  if (n < 2 || batch_pd.scratchpad_desc().get_size() < kSmallScratchpad) return false;
  ConvDescParts one = parts;
  one.x[0] = one.y[0] = 1;
  one.macs = parts.macs / static_cast<double>(n);
  const auto f32 = dnnl::memory::data_type::f32;
  dnnl::convolution_forward::primitive_desc pd;
  try {
    pd = dnnl::convolution_forward::primitive_desc(
        conv_desc(one, dnnl::algorithm::convolution_winograd, dnnl::memory::desc(one.x, f32, tag::any),
                  dnnl::memory::desc(one.wdims, f32, tag::any), dnnl::memory::desc(one.y, f32, tag::any)),
        ctx.make_attr(), ctx.engine());
  } catch (const dnnl::error&) {
    return false;
  }
  if (std::string(pd.impl_info_str()) != batch_pd.impl_info_str() ||
      !(pd.weights_desc() == batch_pd.weights_desc()))
    return false;
  const dnnl::memory::desc src1 = pd.src_desc(), dst1 = pd.dst_desc();
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, with_batch(src1, n)));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc w_plain, plain_md(DType::f32, parts.wdims));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, w_plain, pd.weights_desc()));
  int bias = -1;
  if (parts.has_bias) {
    CNNRT_ASSIGN_OR_RETURN(bias, ctx.input(2, pd.bias_desc()));
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_accumulating(0, with_batch(dst1, n)));
  const int scratch = ctx.scratchpad(pd.scratchpad_desc());
  for (int64_t i = 0; i < n; ++i) {
    CNNRT_ASSIGN_OR_RETURN(int src_i, ctx.view(src, src1, static_cast<size_t>(i) * src1.get_size()));
    CNNRT_ASSIGN_OR_RETURN(int dst_i, ctx.view(dst, dst1, static_cast<size_t>(i) * dst1.get_size()));
    add_conv_step(ctx, pd, one, src_i, wt, bias, dst_i, scratch);
  }
  return true;
}

// A 1x1 stride-1 convolution whose input is held in blocks of 16 channels
// (a Winograd layer's output, a concat chain's buffer; see
// runtime/concat_chains.h) runs on that layout and gives it on, instead of
// letting oneDNN pick channels-last (brgconv), which costs a reorder before
// it and often one after (into the next Winograd layer). oneDNN 2.6's
// blocked jit_1x1 is as fast as brgconv_1x1 on DenseNet's layers at 56x56
// and 28x28 (within 3 %) and up to twice as fast at 7x7 (C = 1024: 0.125 vs
// 0.254 ms), and the reorders it saves were 10-20 % of each conv at 56x56.
// Measured in one process, two sessions of the model with and without
// this, runs alternating (40 each, p50, batch 1, 1 thread): DenseNet-121
// 0.961x, SqueezeNet 1.0 0.967x, SqueezeNet 1.1 0.973x, GoogLeNet 0.985x;
// ResNet-18, Inception V3, ResNeXt-50, EfficientNet-B0 and MobileNet V2
// 1.00x within 1 %. Not for 3x3 layers: the blocked direct kernel (jit:
// avx512_core) lost 0.2-0.35 ms to brgconv on ResNet-18's 7x7 ones. Not with
// a sum post-op (the residual would need a reorder into blocks), nor for an
// output another conv sums in (ResNet-50's first bottleneck: its reorder out
// of blocks took the batch-3 arena 5 % over the lower bound). Only one image
// was measured, so only one image.
Result<dnnl::convolution_forward::primitive_desc> pointwise_on_blocked_input(LowerContext& ctx, const ConvShape& c,
                                                                             const ConvDescParts& parts, const Dims& x,
                                                                             const Dims& y) {
  using pd_t = dnnl::convolution_forward::primitive_desc;
  const auto f32 = dnnl::memory::data_type::f32;
  if (x.size() != 4 || x[0] != 1 || c.group != 1 || ctx.output_is_sum_addend(0)) return pd_t();
  for (size_t k = 2; k < parts.wdims.size(); ++k)
    if (parts.wdims[k] != 1) return pd_t();
  for (int64_t s : parts.strides)
    if (s != 1) return pd_t();
  for (const PostOp& p : ctx.post_ops())
    if (p.kind == PostOp::Kind::sum) return pd_t();
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc held, ctx.input_md(0));
  const dnnl::memory::desc blocked(x, f32, tag::nChw16c);
  if (!(held == blocked)) return pd_t();
  const dnnl::memory::desc w_any(parts.wdims, f32, tag::any);
  pd_t pd(conv_desc(parts, dnnl::algorithm::convolution_direct, blocked, w_any,
                    dnnl::memory::desc(y, f32, tag::nChw16c)),
          ctx.make_attr(), ctx.engine(), /*allow_empty=*/true);
  // Only oneDNN's blocked jit kernel pays; a reference or gemm fallback
  // would be far slower than channels-last.
  if (!pd || std::string(pd.impl_info_str()).rfind("jit_1x1", 0) != 0) return pd_t();
  return pd;
}

// A 2-D FP32 convolution with its input and output in 16-channel blocks
// (CompileOptions::ConvLayout::blocked), if oneDNN has a jit kernel for it
// (jit_dw for depthwise, jit_1x1, jit:avx512_core); else empty, and
// oneDNN chooses. An input held row-major (the network's image) is read as
// it is where a jit kernel does that (jit:avx512_core's first-layer path
// into blocks): the stem conv of a mobile network had been a reorder to
// channels-last, brgconv, and a reorder into blocks for the depthwise conv
// after it (MNASNet: 0.063 + 0.262 + 0.098 ms, now 0.246). In-process A/B,
// batch 1, 1 thread: MNASNet 1.018, EfficientNet-B0 1.014, MobileNet V2
// 1.015, MobileNet V3 small 1.056, MobileNet V3 large 1.013, RegNet 1.020.
Result<dnnl::convolution_forward::primitive_desc> conv_in_blocks(LowerContext& ctx, const ConvDescParts& parts) {
  using pd_t = dnnl::convolution_forward::primitive_desc;
  const auto f32 = dnnl::memory::data_type::f32;
  if (parts.x.size() != 4) return pd_t();
  std::vector<tag> sources = {tag::nChw16c};
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc held, ctx.input_md(0));
  // (oneDNN's first-layer path is for inputs of fewer than 16 channels.)
  if (is_plain(held) && parts.x[1] < 16) sources.insert(sources.begin(), tag::nchw);
  for (tag source : sources) {
    pd_t pd(conv_desc(parts, dnnl::algorithm::convolution_direct, dnnl::memory::desc(parts.x, f32, source),
                      dnnl::memory::desc(parts.wdims, f32, tag::any), dnnl::memory::desc(parts.y, f32, tag::nChw16c)),
            ctx.make_attr(), ctx.engine(), /*allow_empty=*/true);
    // A jit convolution kernel, not a reference one nor gemm:jit's
    // im2col (whose name also says jit).
    if (pd && std::string(pd.impl_info_str()).rfind("jit", 0) == 0) return pd;
  }
  return pd_t();
}

// The convolution step reading tensor src, with its weights, bias and
// output in the layouts pd wants.
Status add_conv_reading(LowerContext& ctx, const dnnl::convolution_forward::primitive_desc& pd,
                        const ConvDescParts& parts, int src) {
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc w_plain, plain_md(DType::f32, parts.wdims));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, w_plain, pd.weights_desc()));
  int bias = -1;
  if (parts.has_bias) {
    CNNRT_ASSIGN_OR_RETURN(bias, ctx.input(2, pd.bias_desc()));
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_accumulating(0, pd.dst_desc()));
  add_conv_step(ctx, pd, parts, src, wt, bias, dst);
  return ok_status();
}

// A 1x1 convolution with strides (ResNet's downsampling shortcuts) reads
// every s-th pixel only: one reorder gathers those pixels from a strided
// view of the input into the layout a stride-1 convolution wants, and that
// convolution runs instead. oneDNN 2.6's strided brgconv_1x1 is up to 1.5x
// slower than its stride-1 kernel: ResNet-50's layer3 shortcut (512 -> 1024,
// 28x28 -> 14x14) took 3.3 ms, now 0.05 ms gathering + 2.17 ms; the other
// shortcuts within +-0.06 ms. In-process A/B (two sessions, alternating
// runs, batch 1, 1 thread): ResNet-50 0.96-0.99x over four runs (bf16
// 0.985x), ResNet-18 0.99x, RegNet-Y-400MF and ResNeXt-50 1.00x.
// Group 1 only, not padded, and with the input held in the type the
// convolution computes in (not an 8-bit copy, whose scale a plain reorder
// would lose).
Result<bool> lower_strided_pointwise(LowerContext& ctx, const ConvDescParts& parts, dnnl::memory::data_type compute) {
  const Dims& x = parts.x;
  bool strided = false;
  for (size_t k = 0; k < parts.strides.size(); ++k) {
    if (parts.wdims[parts.wdims.size() - parts.strides.size() + k] != 1 || parts.pl[k] != 0 || parts.pr[k] > 0)
      return false;
    strided = strided || parts.strides[k] > 1;
  }
  // Group 1 only; an empty tensor has nothing to gather (and no temporary).
  if (!strided || parts.wdims.size() != x.size() || numel(x) == 0 || numel(parts.y) == 0) return false;
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc held, ctx.input_md_stored(0));
  if (held.data.format_kind != dnnl_blocked || held.data.offset0 != 0 || held.data_type() != compute) return false;
  dnnl::memory::desc view_md = held;
  for (size_t k = 2; k < x.size(); ++k) {
    view_md.data.dims[k] = parts.y[k];
    view_md.data.padded_dims[k] = parts.y[k];
    view_md.data.format_desc.blocking.strides[k] *= parts.strides[k - 2];
  }
  ConvDescParts unit = parts;
  unit.x = Dims(view_md.data.dims, view_md.data.dims + x.size());
  std::fill(unit.strides.begin(), unit.strides.end(), 1);
  std::fill(unit.pr.begin(), unit.pr.end(), 0);
  const dnnl::memory::desc src_any(unit.x, compute, tag::any);
  const dnnl::memory::desc w_any(parts.wdims, compute, tag::any);
  const dnnl::memory::desc dst_any(parts.y, compute, tag::any);
  dnnl::convolution_forward::primitive_desc pd(
      conv_desc(unit, dnnl::algorithm::convolution_direct, src_any, w_any, dst_any), ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int in, ctx.input(0, held));
  CNNRT_ASSIGN_OR_RETURN(int view, ctx.view(in, view_md));
  const Operand gathered{ctx.scratchpad(pd.src_desc()), pd.src_desc()};
  CNNRT_RETURN_IF_ERROR(add_reorder(ctx, Operand{view, view_md}, gathered));
  CNNRT_RETURN_IF_ERROR(add_conv_reading(ctx, pd, unit, gathered.tensor));
  return true;
}

Status lower_conv(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const Dims& w = ctx.input_dims(1);
  const Dims& y = ctx.output_dims(0);
  CNNRT_ASSIGN_OR_RETURN(ConvShape c, read_conv(ctx.attrs(), x, w));
  const Dims in_spatial(x.begin() + 2, x.end());
  const auto f32 = dnnl::memory::data_type::f32;

  ConvDescParts parts;
  parts.x = x;
  parts.y = y;
  // Grouped weights are [G, M/G, C/G, k...] for oneDNN, the same bytes as
  // ONNX's [M, C/G, k...].
  parts.wdims = w;
  if (c.group > 1) {
    parts.wdims = {c.group, w[0] / c.group};
    parts.wdims.insert(parts.wdims.end(), w.begin() + 1, w.end());
  }
  parts.strides = c.sp.strides;
  parts.dil = dnnl_dilations(c.sp);
  parts.pl = c.sp.pads_begin;
  parts.pr = dnnl_pads_end(c.sp, in_spatial);
  parts.has_bias = ctx.has_input(2);
  parts.macs = static_cast<double>(numel(y)) * static_cast<double>(w[1]);
  for (size_t i = 2; i < w.size(); ++i) parts.macs *= static_cast<double>(w[i]);

  CNNRT_ASSIGN_OR_RETURN(bool done, lower_conv_int8(ctx, parts, c.group));
  if (done) return ok_status();

  // bf16 sessions compute in bfloat16 (AVX-512 BF16: about twice the FP32
  // rate); the bias and accumulation stay float.
  const bool bf16 = ctx.options().precision == CompileOptions::Precision::bf16;
  const auto compute = bf16 ? dnnl::memory::data_type::bf16 : f32;
  const dnnl::memory::desc src_any(x, compute, tag::any);
  const dnnl::memory::desc w_any(parts.wdims, compute, tag::any);
  const dnnl::memory::desc dst_any(y, compute, tag::any);
  auto make_desc = [&](dnnl::algorithm algo) { return conv_desc(parts, algo, src_any, w_any, dst_any); };
  const bool blocked = !bf16 && ctx.options().conv_layout == CompileOptions::ConvLayout::blocked;
  if (!blocked) {
    CNNRT_ASSIGN_OR_RETURN(bool gathered, lower_strided_pointwise(ctx, parts, compute));
    if (gathered) return ok_status();
  }

  dnnl::convolution_forward::primitive_desc pd;
  if (!bf16 && ctx.options().conv_algorithm != CompileOptions::ConvAlgorithm::direct &&
      winograd_pays(c, x, w, parts.macs)) {
    try {
      pd = dnnl::convolution_forward::primitive_desc(make_desc(dnnl::algorithm::convolution_winograd),
                                                     ctx.make_attr(), ctx.engine());
    } catch (const dnnl::error&) {
      pd = dnnl::convolution_forward::primitive_desc();  // no Winograd kernel for this case: direct below
    }
  }
  const bool winograd = static_cast<bool>(pd);
  if (!pd && !bf16) {
    CNNRT_ASSIGN_OR_RETURN(pd, pointwise_on_blocked_input(ctx, c, parts, x, y));
  }
  if (!pd && blocked) {
    CNNRT_ASSIGN_OR_RETURN(pd, conv_in_blocks(ctx, parts));
  }
  if (!pd) {
    pd = dnnl::convolution_forward::primitive_desc(make_desc(dnnl::algorithm::convolution_direct), ctx.make_attr(),
                                                   ctx.engine());
  } else if (winograd) {
    CNNRT_ASSIGN_OR_RETURN(bool split, lower_winograd_per_image(ctx, parts, pd));
    if (split) return ok_status();
  }

  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  return add_conv_reading(ctx, pd, parts, src);
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
  def.quantizes_input = true;
  r.add(def);
}

}  // namespace cnnrt
