// InstanceNormalization (ai.onnx 1-28): y = scale * (x - mean) / sqrt(var +
// epsilon) + B, with mean and (biased) variance per sample and channel over
// the spatial dims. On oneDNN's batch_normalization, which computes
// statistics per channel: the row-major input viewed as [1, N*C, S, 1] makes
// every (sample, channel) pair a channel of its own (4-D because oneDNN has
// a vectorised plain-layout kernel for it, only a reference one for 3-D).
// Constant scale and B are repeated per sample and applied by the
// normalization itself; otherwise a binary multiply with an add post-op
// applies them afterwards.
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_instancenorm(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(3, 3));
  for (size_t i = 0; i < 3; ++i) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(i, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 3, DNNL_MAX_NDIMS));
  const Dims& x = ctx.input_shape(0);
  for (size_t i = 1; i < 3; ++i) {
    const Dims& p = ctx.input_shape(i);
    if (p.size() != 1 || (x[1] >= 0 && p[0] >= 0 && p[0] != x[1]))
      return invalid_model(i == 1 ? "scale " : "B ", dims_str(p), " must have shape [", x[1], "] (the channels)");
  }
  CNNRT_ASSIGN_OR_RETURN(float eps, ctx.attrs().get_float("epsilon", 1e-5f));
  if (!(eps >= 0)) return invalid_model("epsilon must not be negative, got ", eps);
  ctx.set_output(0, DType::f32, x);
  return ok_status();
}

// scale or B ([C]) repeated for each of n samples: [n * C].
Result<std::shared_ptr<TensorData>> per_instance(const TensorData& v, int64_t n, const char* what) {
  const int64_t c = v.count();
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(DType::f32, {n * c}, what));
  float* out = reinterpret_cast<float*>(t->mutable_data());
  for (int64_t s = 0; s < n; ++s)
    for (int64_t k = 0; k < c; ++k) out[s * c + k] = v.as<float>()[k];
  return t;
}

Status lower_instancenorm(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(float eps, ctx.attrs().get_float("epsilon", 1e-5f));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (numel(x) == 0) return ok_status();
  const int64_t n = x[0], c = x[1], spatial = numel(x) / (n * c);
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, {1, n * c, spatial, 1}));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc vec_md, plain_md(DType::f32, {n * c}));
  const TensorData* scale = ctx.input_constant(1);
  const TensorData* shift = ctx.input_constant(2);
  const bool fold = scale && shift;  // scale and shift inside the normalization

  auto flags = fold ? dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift
                    : dnnl::normalization_flags::none;
  // Post-ops of a fused activation belong after the scale and shift.
  dnnl::primitive_attr attr;
  if (fold) {
    attr = ctx.make_attr();
  } else {
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  }
  dnnl::batch_normalization_forward::primitive_desc pd(
      dnnl::batch_normalization_forward::desc(dnnl::prop_kind::forward_inference, md, eps, flags), attr, ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, md, md));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, md));
  std::vector<std::pair<int, int>> args = {{DNNL_ARG_SRC, src},
                                           {DNNL_ARG_DST, dst},
                                           {DNNL_ARG_MEAN, ctx.scratchpad(pd.mean_desc())},
                                           {DNNL_ARG_VARIANCE, ctx.scratchpad(pd.variance_desc())},
                                           {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}};
  if (fold) {
    CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> s, per_instance(*scale, n, "instance scale"));
    CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> b, per_instance(*shift, n, "instance shift"));
    args.push_back({DNNL_ARG_SCALE, ctx.constant(s, vec_md)});
    args.push_back({DNNL_ARG_SHIFT, ctx.constant(b, vec_md)});
  }
  ctx.add_primitive(dnnl::batch_normalization_forward(pd), pd, std::move(args), 5.0 * static_cast<double>(numel(x)));
  if (fold) return ok_status();

  // y = normalized * scale + B, broadcast over samples and spatial dims.
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc y_md, plain_md(DType::f32, {n, c, spatial}));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc c_md, plain_md(DType::f32, {1, c, 1}));
  dnnl::post_ops ops;
  ops.append_binary(dnnl::algorithm::binary_add, c_md);
  dnnl::binary::primitive_desc bpd(dnnl::binary::desc(dnnl::algorithm::binary_mul, y_md, c_md, y_md),
                                   ctx.make_attr(ops), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int y, ctx.view(out, y_md));
  CNNRT_ASSIGN_OR_RETURN(int scale_t, ctx.input_as(1, c_md, c_md));
  CNNRT_ASSIGN_OR_RETURN(int shift_t, ctx.input_as(2, c_md, c_md));
  ctx.add_primitive(dnnl::binary(bpd), bpd,
                    {{DNNL_ARG_SRC_0, y},
                     {DNNL_ARG_SRC_1, scale_t},
                     {DNNL_ARG_DST, y},
                     {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, shift_t},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(bpd.scratchpad_desc())}},
                    2.0 * static_cast<double>(numel(x)));
  return ok_status();
}

}  // namespace

void register_instancenormalization(OpRegistry& r) {
  OpDef def;
  def.op_type = "InstanceNormalization";
  def.first_opset = 1;
  def.infer = infer_instancenorm;
  def.lower = lower_instancenorm;
  r.add(def);
}

}  // namespace cnnrt
