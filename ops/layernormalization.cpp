// LayerNormalization (ai.onnx 17-28): y = (x - mean) / sqrt(var + epsilon) *
// Scale + B, with mean and (biased) variance over the dims from `axis` to
// the last. On oneDNN's layer_normalization, which normalises over the last
// dim: the row-major input is viewed as [outer, inner] with inner the
// product of the normalised dims. Scale and B of the normalised shape (or
// broadcastable to it, if constant) become oneDNN's scale and shift. The
// optional Mean and InvStdDev outputs come from the statistics oneDNN
// computes anyway (InvStdDev = (variance + epsilon)^-0.5, two eltwise steps).
#include <tuple>

#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<int64_t> layernorm_axis(const Attributes& attrs, int64_t rank) {
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, attrs.get_int("axis", -1));
  return normalize_axis(axis, rank, "axis");
}

// Whether `p` broadcasts (numpy, unidirectionally) to x's dims from `axis`.
bool broadcasts_to_tail(const Dims& p, const Dims& x, int64_t axis) {
  const int64_t tail = static_cast<int64_t>(x.size()) - axis;
  if (static_cast<int64_t>(p.size()) > tail) {
    for (size_t i = 0; i + tail < p.size(); ++i)
      if (p[i] != 1) return false;
  }
  for (size_t i = 1; i <= p.size() && static_cast<int64_t>(i) <= tail; ++i) {
    const int64_t pd = p[p.size() - i], xd = x[x.size() - i];
    if (pd != 1 && xd >= 0 && pd >= 0 && pd != xd) return false;
  }
  return true;
}

Status infer_layernorm(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 3));
  for (size_t i = 0; i < ctx.num_inputs(); ++i)
    if (ctx.has_input(i)) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(i, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, DNNL_MAX_NDIMS));
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, layernorm_axis(ctx.attrs(), ctx.input_rank(0)));
  for (size_t i = 1; i < ctx.num_inputs(); ++i)
    if (ctx.has_input(i) && !broadcasts_to_tail(ctx.input_shape(i), x, axis))
      return invalid_model(i == 1 ? "Scale " : "B ", dims_str(ctx.input_shape(i)),
                           " does not broadcast to the normalised dims of ", dims_str(x));
  CNNRT_ASSIGN_OR_RETURN(float eps, ctx.attrs().get_float("epsilon", 1e-5f));
  if (!(eps >= 0)) return invalid_model("epsilon must not be negative, got ", eps);
  ctx.set_output(0, DType::f32, x);
  CNNRT_ASSIGN_OR_RETURN(int64_t stash, ctx.attrs().get_int("stash_type", 1));
  if (stash != 1) return unsupported("stash_type ", stash, " (only 1, float) is supported");
  Dims stats = x;
  for (size_t i = static_cast<size_t>(axis); i < stats.size(); ++i) stats[i] = 1;
  ctx.set_output(1, DType::f32, stats);
  ctx.set_output(2, DType::f32, stats);
  return ok_status();
}

// Scale or B as a [inner] vector: the tensor itself if it already has inner
// elements (its row-major bytes), else a constant broadcast copy.
Result<int> as_vector(LowerContext& ctx, size_t i, const Dims& tail, const dnnl::memory::desc& vec_md) {
  const int64_t inner = numel(tail);
  if (numel(ctx.input_dims(i)) == inner) return ctx.input_as(i, vec_md, vec_md);
  const TensorData* c = ctx.input_constant(i);
  if (!c)
    return unsupported("input ", i, " ", dims_str(ctx.input_dims(i)),
                       " needs broadcasting to the normalised dims and is not a constant");
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> v, TensorData::make(DType::f32, {inner}, "LayerNormalization parameter"));
  float* out = reinterpret_cast<float*>(v->mutable_data());
  const Dims& p = c->dims;
  for (int64_t k = 0; k < inner; ++k) {
    // Index of element k of the tail in p, dim by dim from the last.
    int64_t rest = k, src = 0, stride = 1;
    for (size_t d = tail.size(); d-- > 0;) {
      const int64_t coord = rest % tail[d];
      rest /= tail[d];
      const size_t from_end = tail.size() - d;
      if (from_end <= p.size()) {
        const int64_t pd = p[p.size() - from_end];
        src += (pd == 1 ? 0 : coord) * stride;
        stride *= pd;
      }
    }
    out[k] = c->as<float>()[src];
  }
  return ctx.constant(v, vec_md);
}

Status lower_layernorm(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, layernorm_axis(ctx.attrs(), static_cast<int64_t>(x.size())));
  CNNRT_ASSIGN_OR_RETURN(float eps, ctx.attrs().get_float("epsilon", 1e-5f));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (numel(x) == 0) return ok_status();
  const Dims tail(x.begin() + axis, x.end());
  const int64_t inner = numel(tail), outer = numel(x) / inner;
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, {outer, inner}));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc vec_md, plain_md(DType::f32, {inner}));
  const bool has_b = ctx.has_input(2);
  auto flags = dnnl::normalization_flags::use_scale;
  if (has_b) flags = flags | dnnl::normalization_flags::use_shift;
  // Inference mode does not hand out the statistics; training mode computes
  // the same normalisation and writes them too.
  const bool stats = ctx.has_output(1) || ctx.has_output(2);
  const auto prop = stats ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
  dnnl::layer_normalization_forward::primitive_desc pd(
      dnnl::layer_normalization_forward::desc(prop, md, eps, flags), ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, md, md));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, md));
  CNNRT_ASSIGN_OR_RETURN(int scale, as_vector(ctx, 1, tail, vec_md));
  // Mean and variance land in the optional outputs when asked for.
  int mean = ctx.scratchpad(pd.mean_desc()), variance = ctx.scratchpad(pd.variance_desc());
  if (ctx.has_output(1)) {
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.output_plain(1));
    CNNRT_ASSIGN_OR_RETURN(mean, ctx.view(t, pd.mean_desc()));
  }
  if (ctx.has_output(2)) {
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.output_plain(2));
    CNNRT_ASSIGN_OR_RETURN(variance, ctx.view(t, pd.variance_desc()));
  }
  std::vector<std::pair<int, int>> args = {{DNNL_ARG_SRC, src},
                                           {DNNL_ARG_DST, dst},
                                           {DNNL_ARG_SCALE, scale},
                                           {DNNL_ARG_MEAN, mean},
                                           {DNNL_ARG_VARIANCE, variance},
                                           {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}};
  if (has_b) {
    CNNRT_ASSIGN_OR_RETURN(int shift, as_vector(ctx, 2, tail, vec_md));
    args.push_back({DNNL_ARG_SHIFT, shift});
  }
  ctx.add_primitive(dnnl::layer_normalization_forward(pd), pd, std::move(args), 7.0 * static_cast<double>(numel(x)));
  if (ctx.has_output(2)) {
    // InvStdDev = (variance + epsilon)^-0.5, in place.
    const dnnl::memory::desc v_md = pd.variance_desc();
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    for (auto step : {std::make_tuple(dnnl::algorithm::eltwise_linear, 1.0f, eps),
                      std::make_tuple(dnnl::algorithm::eltwise_pow, 1.0f, -0.5f)}) {
      dnnl::eltwise_forward::primitive_desc epd(
          dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, std::get<0>(step), v_md, std::get<1>(step),
                                      std::get<2>(step)),
          attr, ctx.engine());
      ctx.add_primitive(dnnl::eltwise_forward(epd), epd,
                        {{DNNL_ARG_SRC, variance},
                         {DNNL_ARG_DST, variance},
                         {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(epd.scratchpad_desc())}},
                        static_cast<double>(outer));
    }
  }
  return ok_status();
}

}  // namespace

void register_layernormalization(OpRegistry& r) {
  OpDef def;
  def.op_type = "LayerNormalization";
  def.first_opset = 17;
  def.infer = infer_layernorm;
  def.lower = lower_layernorm;
  r.add(def);
}

}  // namespace cnnrt
