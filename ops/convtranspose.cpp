// ConvTranspose (ai.onnx 1-28): 1-D to 3-D transposed convolution with
// groups, strides, dilations, pads, output_padding, output_shape and
// auto_pad, on oneDNN's deconvolution_forward (layouts left to oneDNN,
// weights reordered once, activations fused as post-ops).
//
// Output size per spatial dim, as ONNX and ONNX Runtime define it:
//   natural = stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1
//   out     = natural - pads_begin - pads_end, or output_shape when given, or
//             in * stride for SAME_UPPER / SAME_LOWER.
// With output_shape or SAME_*, total = natural - out is split: SAME_UPPER puts
// the odd unit at the end, NOTSET and SAME_LOWER at the start; a negative
// total (output_shape beyond natural) extends the end, like output_padding.
// oneDNN expresses all of it as end padding natural - output_padding -
// pads_begin - out, which it accepts down to -(stride - 1).
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

using tag = dnnl::memory::format_tag;

struct DeconvShape {
  int64_t group = 1;
  Dims kernel, strides, dilations, output_padding, pads_begin;
  Dims out;  // spatial output dims; -1 where the input dim is unknown
};

Result<Dims> ints_or(const Attributes& attrs, const char* name, size_t n, int64_t fallback) {
  CNNRT_ASSIGN_OR_RETURN(Dims v, attrs.get_ints(name, {}));
  if (v.empty()) return Dims(n, fallback);
  if (v.size() != n) return invalid_model(name, " ", dims_str(v), " must have ", n, " values");
  return v;
}

Result<DeconvShape> read_deconv(const Attributes& attrs, const Dims& x, const Dims& w) {
  DeconvShape d;
  const size_t n = x.size() - 2;
  CNNRT_ASSIGN_OR_RETURN(d.group, attrs.get_int("group", 1));
  if (d.group < 1) return invalid_model("group must be >= 1, got ", d.group);
  if (x[1] >= 0 && x[1] != w[0])
    return invalid_model("the input has ", x[1], " channels but the weight ", dims_str(w), " expects ", w[0]);
  if (w[0] % d.group != 0)
    return invalid_model("the weight's ", w[0], " input channels are not divisible by group ", d.group);
  d.kernel.assign(w.begin() + 2, w.end());
  CNNRT_ASSIGN_OR_RETURN(Dims kernel_attr, attrs.get_ints("kernel_shape", {}));
  if (!kernel_attr.empty() && kernel_attr != d.kernel)
    return invalid_model("kernel_shape ", dims_str(kernel_attr), " does not match the weights' spatial shape ",
                         dims_str(d.kernel));
  CNNRT_ASSIGN_OR_RETURN(d.strides, ints_or(attrs, "strides", n, 1));
  CNNRT_ASSIGN_OR_RETURN(d.dilations, ints_or(attrs, "dilations", n, 1));
  CNNRT_ASSIGN_OR_RETURN(d.output_padding, ints_or(attrs, "output_padding", n, 0));
  for (size_t i = 0; i < n; ++i) {
    if (d.strides[i] < 1) return invalid_model("strides ", dims_str(d.strides), " must be positive");
    if (d.dilations[i] < 1) return invalid_model("dilations ", dims_str(d.dilations), " must be positive");
    if (d.output_padding[i] < 0) return invalid_model("output_padding must not be negative");
  }
  CNNRT_ASSIGN_OR_RETURN(std::string auto_pad, attrs.get_string("auto_pad", "NOTSET"));
  if (auto_pad.empty()) auto_pad = "NOTSET";
  if (auto_pad != "NOTSET" && auto_pad != "VALID" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
    return invalid_model("auto_pad '", auto_pad, "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  CNNRT_ASSIGN_OR_RETURN(Dims pads, attrs.get_ints("pads", {}));
  if (!pads.empty() && pads.size() != 2 * n) return invalid_model("pads ", dims_str(pads), " must have ", 2 * n, " values");
  for (int64_t p : pads)
    if (p < 0) return unsupported("negative pads ", dims_str(pads), " are not supported");
  // output_shape may list the spatial dims or, in older models, all of them.
  CNNRT_ASSIGN_OR_RETURN(Dims output_shape, attrs.get_ints("output_shape", {}));
  if (output_shape.size() == n + 2) output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
  if (!output_shape.empty() && output_shape.size() != n)
    return invalid_model("output_shape ", dims_str(output_shape), " must have ", n, " values");

  d.pads_begin.assign(n, 0);
  d.out.assign(n, kUnknownDim);
  for (size_t i = 0; i < n; ++i) {
    const int64_t in = x[i + 2];
    if (in < 0) continue;
    const int64_t natural =
        d.strides[i] * (in - 1) + d.output_padding[i] + (d.kernel[i] - 1) * d.dilations[i] + 1;
    const bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
    if (!output_shape.empty() || same) {
      const int64_t out = !output_shape.empty() ? output_shape[i] : in * d.strides[i];
      if (out < 1) return invalid_model("output_shape ", dims_str(output_shape), " must be positive");
      const int64_t total = natural - out;
      if (total <= 0)
        d.pads_begin[i] = 0;
      else
        d.pads_begin[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      d.out[i] = out;
    } else {
      const int64_t pb = auto_pad == "VALID" || pads.empty() ? 0 : pads[i];
      const int64_t pe = auto_pad == "VALID" || pads.empty() ? 0 : pads[i + n];
      d.pads_begin[i] = pb;
      d.out[i] = natural - pb - pe;
      if (d.out[i] < 1)
        return invalid_model("pads ", dims_str(pads), " leave no output in spatial dim ", i, " (", natural, " - ", pb,
                             " - ", pe, ")");
    }
    // What oneDNN calls the end padding (see the top of the file).
    const int64_t dnnl_end = natural - d.output_padding[i] - d.pads_begin[i] - d.out[i];
    if (dnnl_end <= -d.strides[i])
      return unsupported("an output of ", d.out[i], " in spatial dim ", i, " reaches ", -dnnl_end,
                         " beyond the last input's window; at most stride - 1 = ", d.strides[i] - 1,
                         " is supported");
  }
  return d;
}

Status infer_convtranspose(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 3));
  for (size_t i = 0; i < ctx.num_inputs(); ++i)
    if (ctx.has_input(i)) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(i, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 3, 5));
  const Dims& x = ctx.input_shape(0);
  const Dims& w = ctx.input_shape(1);
  if (w.size() != x.size()) return invalid_model("the weight ", dims_str(w), " must have the input's rank ", x.size());
  for (int64_t d : w)
    if (d < 0) return unsupported("the weight's shape ", dims_str(w), " must be known");
  CNNRT_ASSIGN_OR_RETURN(DeconvShape d, read_deconv(ctx.attrs(), x, w));
  const int64_t m = w[1] * d.group;
  if (ctx.has_input(2)) {
    const Dims& b = ctx.input_shape(2);
    if (b.size() != 1 || b[0] != m) return invalid_model("the bias ", dims_str(b), " must have shape [", m, "]");
  }
  Dims y = {x[0], m};
  y.insert(y.end(), d.out.begin(), d.out.end());
  ctx.set_output(0, DType::f32, y);
  return ok_status();
}

// ONNX's weight [C, M/G, k...] read as oneDNN's [M, C, k...] (or grouped
// [G, M/G, C/G, k...]) through strides: no copy.
dnnl::memory::desc weight_view(const Dims& w, int64_t group) {
  int64_t k = 1;
  for (size_t i = 2; i < w.size(); ++i) k *= w[i];
  const int64_t cg = w[0] / group, mg = w[1];
  Dims dims, strides;
  if (group > 1) {
    dims = {group, mg, cg};
    strides = {cg * mg * k, k, mg * k};
  } else {
    dims = {mg, cg};
    strides = {k, mg * k};
  }
  int64_t s = k;
  for (size_t i = 2; i < w.size(); ++i) {
    s /= w[i];
    dims.push_back(w[i]);
    strides.push_back(s);
  }
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

Status lower_convtranspose(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const Dims& w = ctx.input_dims(1);
  const Dims& y = ctx.output_dims(0);
  CNNRT_ASSIGN_OR_RETURN(DeconvShape d, read_deconv(ctx.attrs(), x, w));
  const size_t n = x.size() - 2;
  Dims dil(n), pad_end(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t natural = d.strides[i] * (x[i + 2] - 1) + (d.kernel[i] - 1) * d.dilations[i] + 1;
    dil[i] = d.dilations[i] - 1;
    pad_end[i] = natural - d.pads_begin[i] - d.out[i];
  }
  const auto f32 = dnnl::memory::data_type::f32;
  const dnnl::memory::desc w_view = weight_view(w, d.group);
  const dnnl::memory::desc src_any(x, f32, tag::any), dst_any(y, f32, tag::any);
  const dnnl::memory::desc w_any(w_view.dims(), f32, tag::any);
  const bool has_bias = ctx.has_input(2);
  const dnnl::memory::desc bias_md({y[1]}, f32, tag::a);
  const auto algo = dnnl::algorithm::deconvolution_direct;
  const auto prop = dnnl::prop_kind::forward_inference;
  auto desc = has_bias ? dnnl::deconvolution_forward::desc(prop, algo, src_any, w_any, bias_md, dst_any, d.strides, dil,
                                                           d.pads_begin, pad_end)
                       : dnnl::deconvolution_forward::desc(prop, algo, src_any, w_any, dst_any, d.strides, dil,
                                                           d.pads_begin, pad_end);
  dnnl::deconvolution_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());

  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, w_view, pd.weights_desc()));
  int bias = -1;
  if (has_bias) {
    CNNRT_ASSIGN_OR_RETURN(bias, ctx.input(2, pd.bias_desc()));
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  double macs = static_cast<double>(numel(x)) * static_cast<double>(w[1]);
  for (int64_t k : d.kernel) macs *= static_cast<double>(k);
  ctx.add_primitive(dnnl::deconvolution_forward(pd), pd,
                    {{DNNL_ARG_SRC, src},
                     {DNNL_ARG_WEIGHTS, wt},
                     {DNNL_ARG_BIAS, bias},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    2 * macs);
  return ok_status();
}

}  // namespace

void register_convtranspose(OpRegistry& r) {
  OpDef def;
  def.op_type = "ConvTranspose";
  def.first_opset = 1;
  def.infer = infer_convtranspose;
  def.lower = lower_convtranspose;
  def.accepts_post_ops = true;
  r.add(def);
}

}  // namespace cnnrt
