// AveragePool (ai.onnx 1-28): 1-D to 3-D average pooling with strides, pads,
// auto_pad, count_include_pad (opset 7+), ceil_mode (opset 10+) and
// dilations (opset 19+), on oneDNN's pooling_v2 in the input's own layout.
//
// The divisor follows ONNX Runtime and PyTorch: without count_include_pad it
// is the number of input elements under the window; with it, the number of
// window positions inside the padded input [-pads_begin, in + pads_end).
// In ceil_mode the last window may reach past the model's end padding; those
// positions are not counted, while oneDNN's include-padding mode always
// divides by the full kernel. Where that happens, a binary-multiply post-op
// rescales the affected outputs by kernel / divisor.
#include <vector>

#include "ops/common/spatial.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

struct AvgPoolAttrs {
  SpatialParams sp;
  bool count_include_pad = false;
};

Result<AvgPoolAttrs> read_avgpool(const Attributes& attrs, int opset, const Dims& x) {
  AvgPoolAttrs a;
  const Dims in(x.begin() + 2, x.end());
  CNNRT_ASSIGN_OR_RETURN(a.sp, read_spatial(attrs, in, nullptr, /*ceil_mode=*/opset >= 10, /*dilations=*/opset >= 19));
  if (opset >= 7) {
    CNNRT_ASSIGN_OR_RETURN(int64_t cip, attrs.get_int("count_include_pad", 0));
    if (cip != 0 && cip != 1) return invalid_model("count_include_pad must be 0 or 1, got ", cip);
    a.count_include_pad = cip == 1;
  } else if (attrs.has("count_include_pad")) {
    return invalid_model("attribute 'count_include_pad' is not valid at this opset");
  }
  // As in ONNX Runtime: a window entirely in the padding has nothing to
  // average.
  for (size_t i = 0; i < in.size(); ++i)
    if (a.sp.pads_begin[i] >= a.sp.kernel[i] || a.sp.pads_end[i] >= a.sp.kernel[i])
      return invalid_model("pads (begin ", dims_str(a.sp.pads_begin), ", end ", dims_str(a.sp.pads_end),
                           ") must be smaller than the kernel ", dims_str(a.sp.kernel));
  return a;
}

Status infer_avgpool(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 3, 5));
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(AvgPoolAttrs a, read_avgpool(ctx.attrs(), ctx.opset(), x));
  Dims y = {x[0], x[1]};
  y.insert(y.end(), a.sp.out.begin(), a.sp.out.end());
  ctx.set_output(0, DType::f32, y);
  return ok_status();
}

// Per spatial dim and output position: how many of the window's positions lie
// before in + pads_end (ONNX's divisor factor with count_include_pad).
std::vector<std::vector<int64_t>> counted_positions(const SpatialParams& sp, const Dims& in) {
  std::vector<std::vector<int64_t>> counts(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const int64_t limit = in[i] + sp.pads_end[i];
    for (int64_t o = 0; o < sp.out[i]; ++o) {
      const int64_t start = o * sp.strides[i] - sp.pads_begin[i];
      int64_t n = 0;
      for (int64_t j = 0; j < sp.kernel[i]; ++j)
        if (start + j * sp.dilations[i] < limit) ++n;
      counts[i].push_back(n);
    }
  }
  return counts;
}

// kernel / divisor for every output position, as a [1, 1, out...] tensor, or
// nullptr when every window lies inside the padded input (no correction).
Result<std::shared_ptr<TensorData>> divisor_correction(const SpatialParams& sp, const Dims& in) {
  const auto counts = counted_positions(sp, in);
  bool needed = false;
  for (size_t i = 0; i < in.size(); ++i)
    for (int64_t c : counts[i])
      if (c != sp.kernel[i]) needed = true;
  if (!needed) return std::shared_ptr<TensorData>();
  Dims dims = {1, 1};
  dims.insert(dims.end(), sp.out.begin(), sp.out.end());
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(DType::f32, dims, "divisor correction"));
  float* f = reinterpret_cast<float*>(t->mutable_data());
  const int64_t total = t->count();
  for (int64_t flat = 0; flat < total; ++flat) {
    double factor = 1;
    int64_t rest = flat;
    for (size_t i = in.size(); i-- > 0;) {
      const int64_t o = rest % sp.out[i];
      rest /= sp.out[i];
      factor *= static_cast<double>(sp.kernel[i]) / static_cast<double>(counts[i][o]);
    }
    f[flat] = static_cast<float>(factor);
  }
  return t;
}

Status lower_avgpool(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const Dims& y = ctx.output_dims(0);
  CNNRT_ASSIGN_OR_RETURN(AvgPoolAttrs a, read_avgpool(ctx.attrs(), ctx.opset(), x));
  const Dims in(x.begin() + 2, x.end());

  std::shared_ptr<TensorData> correction;
  if (a.count_include_pad) {
    CNNRT_ASSIGN_OR_RETURN(correction, divisor_correction(a.sp, in));
  }
  dnnl::post_ops ops;
  dnnl::memory::desc corr_md;
  if (correction) {
    CNNRT_ASSIGN_OR_RETURN(corr_md, plain_md(DType::f32, correction->dims));
    ops.append_binary(dnnl::algorithm::binary_mul, corr_md);
  }

  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc src_md, ctx.input_md(0));
  const dnnl::memory::desc dst_any(y, dnnl::memory::data_type::f32, dnnl::memory::format_tag::any);
  const auto alg = a.count_include_pad ? dnnl::algorithm::pooling_avg_include_padding
                                       : dnnl::algorithm::pooling_avg_exclude_padding;
  dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, alg, src_md, dst_any, a.sp.strides,
                                      a.sp.kernel, dnnl_dilations(a.sp), a.sp.pads_begin, dnnl_pads_end(a.sp, in));
  dnnl::pooling_v2_forward::primitive_desc pd(desc, ctx.make_attr(ops), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  std::vector<std::pair<int, int>> args = {
      {DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}};
  if (correction) args.push_back({DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, ctx.constant(correction, corr_md)});
  double flops = static_cast<double>(numel(y));
  for (int64_t k : a.sp.kernel) flops *= static_cast<double>(k);
  ctx.add_primitive(dnnl::pooling_v2_forward(pd), pd, std::move(args), flops);
  return ok_status();
}

}  // namespace

void register_averagepool(OpRegistry& r) {
  OpDef def;
  def.op_type = "AveragePool";
  def.first_opset = 1;
  def.infer = infer_avgpool;
  def.lower = lower_avgpool;
  r.add(def);
}

}  // namespace cnnrt
