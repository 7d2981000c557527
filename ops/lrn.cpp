// LRN (ai.onnx 1-28): local response normalization across channels,
//   y = x / (bias + alpha / size * sum(x^2 over the channel window))^beta,
// window [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to [0, C).
// oneDNN's lrn_across_channels uses the same alpha / size convention but a
// symmetric window of (size-1)/2 each side: it matches for odd sizes and
// runs in the input's layout. Even sizes (an asymmetric window) are
// composed: x^2, then an average pooling over the channel axis (divisor
// size, window padded asymmetrically), whose post-ops apply
// (bias + alpha * avg)^-beta and multiply by x.
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

struct LrnAttrs {
  int64_t size = 0;
  float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
};

Result<LrnAttrs> read_lrn(const Attributes& attrs) {
  LrnAttrs a;
  if (!attrs.has("size")) return invalid_model("attribute 'size' is required");
  CNNRT_ASSIGN_OR_RETURN(a.size, attrs.get_int("size", 0));
  if (a.size < 1) return invalid_model("size must be positive, got ", a.size);
  CNNRT_ASSIGN_OR_RETURN(a.alpha, attrs.get_float("alpha", 1e-4f));
  CNNRT_ASSIGN_OR_RETURN(a.beta, attrs.get_float("beta", 0.75f));
  CNNRT_ASSIGN_OR_RETURN(a.bias, attrs.get_float("bias", 1.0f));
  return a;
}

Status infer_lrn(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 3, DNNL_MAX_NDIMS));
  CNNRT_ASSIGN_OR_RETURN(LrnAttrs a, read_lrn(ctx.attrs()));
  (void)a;
  ctx.set_output(0, DType::f32, ctx.input_shape(0));
  return ok_status();
}

// [N, C, D1, ...] as [N, C, D1 * ...] for ranks oneDNN's lrn does not take.
Dims as_3d(const Dims& x) {
  int64_t spatial = 1;
  for (size_t i = 2; i < x.size(); ++i) spatial *= x[i];
  return {x[0], x[1], spatial};
}

Status lower_across_channels(LowerContext& ctx, const LrnAttrs& a) {
  const Dims& x = ctx.input_dims(0);
  dnnl::memory::desc src_md;
  int src = -1, dst = -1;
  if (x.size() <= 5) {
    CNNRT_ASSIGN_OR_RETURN(src_md, ctx.input_md(0));
  } else {
    CNNRT_ASSIGN_OR_RETURN(src_md, plain_md(DType::f32, as_3d(x)));
  }
  dnnl::lrn_forward::primitive_desc pd(
      dnnl::lrn_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::lrn_across_channels, src_md,
                              a.size, a.alpha, a.beta, a.bias),
      ctx.make_attr(), ctx.engine());
  if (x.size() <= 5) {
    CNNRT_ASSIGN_OR_RETURN(src, ctx.input(0, pd.src_desc()));
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output(0, pd.dst_desc()));
  } else {
    CNNRT_ASSIGN_OR_RETURN(src, ctx.input_as(0, src_md, src_md));
    CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.view(out, src_md));
  }
  ctx.add_primitive(dnnl::lrn_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(x)) * static_cast<double>(a.size + 4));
  return ok_status();
}

Status lower_even_window(LowerContext& ctx, const LrnAttrs& a) {
  const Dims& x = ctx.input_dims(0);
  const Dims flat = as_3d(x);
  // Channels become a spatial dim of a single-channel image: [N, 1, C, S].
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, {flat[0], 1, flat[1], flat[2]}));
  dnnl::primitive_attr sq_attr;
  sq_attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::eltwise_forward::primitive_desc sq_pd(
      dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_square, md), sq_attr,
      ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, md, md));
  const int squares = ctx.scratchpad(md);
  ctx.add_primitive(dnnl::eltwise_forward(sq_pd), sq_pd,
                    {{DNNL_ARG_SRC, src},
                     {DNNL_ARG_DST, squares},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(sq_pd.scratchpad_desc())}},
                    static_cast<double>(numel(x)));

  dnnl::post_ops ops;
  ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, a.alpha, a.bias);
  ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_pow, 1.0f, -a.beta);
  ops.append_binary(dnnl::algorithm::binary_mul, md);
  const int64_t before = (a.size - 1) / 2, after = a.size / 2;
  dnnl::pooling_v2_forward::primitive_desc pool_pd(
      dnnl::pooling_v2_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_avg_include_padding,
                                     md, md, {1, 1}, {a.size, 1}, {0, 0}, {before, 0}, {after, 0}),
      ctx.make_attr(ops), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, md));
  ctx.add_primitive(dnnl::pooling_v2_forward(pool_pd), pool_pd,
                    {{DNNL_ARG_SRC, squares},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_ATTR_MULTIPLE_POST_OP(2) | DNNL_ARG_SRC_1, src},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pool_pd.scratchpad_desc())}},
                    static_cast<double>(numel(x)) * static_cast<double>(a.size + 4));
  return ok_status();
}

Status lower_lrn(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(LrnAttrs a, read_lrn(ctx.attrs()));
  if (numel(ctx.input_dims(0)) == 0) {
    CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
    (void)out;
    return ok_status();
  }
  return a.size % 2 == 1 ? lower_across_channels(ctx, a) : lower_even_window(ctx, a);
}

}  // namespace

void register_lrn(OpRegistry& r) {
  OpDef def;
  def.op_type = "LRN";
  def.first_opset = 1;
  def.infer = infer_lrn;
  def.lower = lower_lrn;
  r.add(def);
}

}  // namespace cnnrt
