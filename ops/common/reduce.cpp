#include "ops/common/reduce.h"

#include <algorithm>
#include <string>
#include <vector>

#include "ops/common/onednn_steps.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"

namespace cnnrt {
namespace {

// "[1,-2]": dims_str would print negative entries as unknown dims.
std::string axes_str(const std::vector<int64_t>& axes) {
  std::string s = "[";
  for (size_t i = 0; i < axes.size(); ++i) s += (i ? "," : "") + std::to_string(axes[i]);
  return s + "]";
}

struct ReducePlan {
  bool noop = false;            // empty axes with noop_with_empty_axes: the input itself
  std::vector<bool> reduced;    // per input dim
  bool keepdims = true;
};

// Axes from the attribute (before spec.axes_input_opset) or from the
// constant second input (from it on).
// An axes input declared with zero elements is known to be empty even when
// its (absent) values arrive only at run time.
Result<ReducePlan> plan_reduce(const Attributes& attrs, int opset, const ReduceSpec& spec, int64_t rank,
                               const TensorData* axes_input, bool has_axes_input) {
  ReducePlan plan;
  CNNRT_ASSIGN_OR_RETURN(int64_t keepdims, attrs.get_int("keepdims", 1));
  if (keepdims != 0 && keepdims != 1) return invalid_model("keepdims must be 0 or 1, got ", keepdims);
  plan.keepdims = keepdims == 1;
  std::vector<int64_t> axes;
  int64_t noop = 0;
  if (opset < spec.axes_input_opset) {
    if (has_axes_input) return invalid_model("axes is an attribute at this opset, not an input");
    if (attrs.has("noop_with_empty_axes"))
      return invalid_model("attribute 'noop_with_empty_axes' is not valid at this opset");
    CNNRT_ASSIGN_OR_RETURN(axes, attrs.get_ints("axes", {}));
  } else {
    if (attrs.has("axes")) return invalid_model("axes is an input at this opset, not an attribute");
    CNNRT_ASSIGN_OR_RETURN(noop, attrs.get_int("noop_with_empty_axes", 0));
    if (noop != 0 && noop != 1) return invalid_model("noop_with_empty_axes must be 0 or 1, got ", noop);
    if (axes_input) {
      if (axes_input->dims.size() > 1) return invalid_model("axes must be 1-D, got shape ", dims_str(axes_input->dims));
      for (int64_t i = 0; i < axes_input->count(); ++i) axes.push_back(element_as_int(*axes_input, i));
    }
  }
  if (axes.empty() && noop == 1) {
    plan.noop = true;
    return plan;
  }
  plan.reduced.assign(static_cast<size_t>(rank), axes.empty());
  for (int64_t a : axes) {
    CNNRT_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(a, rank, "axis"));
    if (plan.reduced[axis]) return invalid_model("axis ", a, " appears twice in axes ", axes_str(axes));
    plan.reduced[axis] = true;
  }
  return plan;
}

// The input's dims with reduced dims set to 1 (what oneDNN produces).
Dims kept_dims(const Dims& x, const ReducePlan& plan) {
  Dims d = x;
  for (size_t i = 0; i < d.size(); ++i)
    if (plan.reduced[i]) d[i] = 1;
  return d;
}

Dims output_dims(const Dims& x, const ReducePlan& plan) {
  if (plan.noop) return x;
  if (plan.keepdims) return kept_dims(x, plan);
  Dims d;
  for (size_t i = 0; i < x.size(); ++i)
    if (!plan.reduced[i]) d.push_back(x[i]);
  return d;
}

Result<ReducePlan> plan_for(LowerContext& ctx, const ReduceSpec& spec) {
  return plan_reduce(ctx.attrs(), ctx.opset(), spec, static_cast<int64_t>(ctx.input_dims(0).size()),
                     ctx.input_constant(1), ctx.has_input(1));
}

dnnl::primitive_attr scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

dnnl::memory::desc any_md(const Dims& dims) {
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, dnnl::memory::format_tag::any);
}

// The output in the layout `chosen` (keepdims-shaped) a primitive writes.
// With keepdims that layout is the output's own; without, `chosen` must be
// row-major (unit dims aside) and is a view of the row-major output.
Result<int> place_output(LowerContext& ctx, bool keepdims, const dnnl::memory::desc& chosen) {
  if (keepdims) return ctx.output(0, chosen);
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  return ctx.view(out, chosen);
}

// An empty input: every output element is the reduction of an empty set.
Status lower_empty(LowerContext& ctx, const ReduceSpec& spec) {
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  const Dims& y = ctx.output_dims(0);
  if (numel(y) == 0) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> fill, TensorData::make(DType::f32, y, "empty reduction"));
  float* f = reinterpret_cast<float*>(fill->mutable_data());
  std::fill(f, f + fill->count(), spec.empty_value);
  const dnnl::memory::desc md = ctx.tensor(out).md;
  const int c = ctx.constant(fill, md);
  dnnl::reorder::primitive_desc pd(ctx.engine(), md, ctx.engine(), md, scratchpad_attr());
  ctx.add_primitive(dnnl::reorder(pd), pd, {{DNNL_ARG_FROM, c}, {DNNL_ARG_TO, out}});
  return ok_status();
}

// log(sum(exp(x))) = m + log(sum(exp(x - m))) with m the maximum, so large
// inputs do not overflow: a max reduction, a subtract with an exp post-op,
// and a sum reduction with log and add-m post-ops.
Status lower_log_sum_exp(LowerContext& ctx, const Dims& kd, int dst, const dnnl::memory::desc& dst_md) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc x_md, plain_md(DType::f32, x));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc m_md, plain_md(DType::f32, kd));
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, x_md));
  const int m = ctx.scratchpad(m_md);
  const int shifted = ctx.scratchpad(x_md);
  const double n = static_cast<double>(numel(x));

  dnnl::reduction::primitive_desc max_pd(
      dnnl::reduction::desc(dnnl::algorithm::reduction_max, x_md, m_md, 0.0f, 0.0f), scratchpad_attr(), ctx.engine());
  ctx.add_primitive(dnnl::reduction(max_pd), max_pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, m}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(max_pd.scratchpad_desc())}},
                    n);

  dnnl::post_ops exp_op;
  exp_op.append_eltwise(1.0f, dnnl::algorithm::eltwise_exp, 0.0f, 0.0f);
  dnnl::primitive_attr sub_attr = scratchpad_attr();
  sub_attr.set_post_ops(exp_op);
  dnnl::binary::primitive_desc sub_pd(dnnl::binary::desc(dnnl::algorithm::binary_sub, x_md, m_md, x_md), sub_attr,
                                      ctx.engine());
  ctx.add_primitive(dnnl::binary(sub_pd), sub_pd,
                    {{DNNL_ARG_SRC_0, src},
                     {DNNL_ARG_SRC_1, m},
                     {DNNL_ARG_DST, shifted},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(sub_pd.scratchpad_desc())}},
                    2 * n);

  dnnl::post_ops finish;
  finish.append_eltwise(1.0f, dnnl::algorithm::eltwise_log, 0.0f, 0.0f);
  finish.append_binary(dnnl::algorithm::binary_add, m_md);
  dnnl::reduction::primitive_desc sum_pd(
      dnnl::reduction::desc(dnnl::algorithm::reduction_sum, x_md, dst_md, 0.0f, 0.0f), ctx.make_attr(finish),
      ctx.engine());
  ctx.add_primitive(dnnl::reduction(sum_pd), sum_pd,
                    {{DNNL_ARG_SRC, shifted},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_ATTR_MULTIPLE_POST_OP(1) | DNNL_ARG_SRC_1, m},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(sum_pd.scratchpad_desc())}},
                    n);
  return ok_status();
}

// Nothing to reduce (every reduced dim is 1): f(x) elementwise, or the
// input's bytes as they are.
Status lower_single(LowerContext& ctx, const ReduceSpec& spec, const Dims& xd) {
  if (spec.single == dnnl::algorithm::undef) {
    CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
    CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
    (void)dst;
    return ok_status();
  }
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, xd));
  dnnl::eltwise_forward::primitive_desc pd(
      dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, spec.single, md, 0.0f, 0.0f), ctx.make_attr(),
      ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, md, md));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, md));
  ctx.add_primitive(dnnl::eltwise_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(xd)));
  return ok_status();
}

// Mean, max or sum over exactly the spatial dims of an [N, C, D...] input
// (a squeeze-and-excitation block's ReduceMean) is global pooling, which
// oneDNN runs jitted in blocked and channels-last layouts; its reduction
// falls back to reference code there.
bool is_global_pool(const ReduceSpec& spec, const ReducePlan& plan, const Dims& x) {
  if (spec.finish != ReduceSpec::Finish::none || x.size() < 3 || x.size() > 5) return false;
  if (spec.alg != dnnl::algorithm::reduction_mean && spec.alg != dnnl::algorithm::reduction_max &&
      spec.alg != dnnl::algorithm::reduction_sum)
    return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (plan.reduced[i] != (i >= 2)) return false;
  return true;
}

Status lower_global_pool(LowerContext& ctx, const ReduceSpec& spec, bool keepdims, const Dims& x, const Dims& kd) {
  const Dims spatial(x.begin() + 2, x.end());
  const Dims ones(spatial.size(), 1), zeros(spatial.size(), 0);
  const auto alg = spec.alg == dnnl::algorithm::reduction_max ? dnnl::algorithm::pooling_max
                                                               : dnnl::algorithm::pooling_avg_exclude_padding;
  dnnl::post_ops ops;
  if (spec.alg == dnnl::algorithm::reduction_sum)  // sum = mean * count
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, static_cast<float>(numel(spatial)), 0.0f);
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc held, ctx.input_md(0));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc plain, plain_md(DType::f32, kd));
  auto make_pd = [&](const dnnl::memory::desc& src_md) {
    auto with_dst = [&](const dnnl::memory::desc& dst_md) {
      return dnnl::pooling_v2_forward::primitive_desc(
          dnnl::pooling_v2_forward::desc(dnnl::prop_kind::forward_inference, alg, src_md, dst_md, ones, spatial, zeros,
                                         zeros, zeros),
          ctx.make_attr(ops), ctx.engine());
    };
    dnnl::pooling_v2_forward::primitive_desc pd = with_dst(any_md(kd));
    if (!keepdims && !is_plain(pd.dst_desc())) pd = with_dst(plain);
    return pd;
  };
  // A row-major output from 16-channel blocks has only the reference
  // kernel (MNASNet's final mean over blocked input: 1.26 ms): the input in
  // channels-last instead.
  const dnnl::pooling_v2_forward::primitive_desc pd = with_first_jit_source(held, make_pd);
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, place_output(ctx, keepdims, pd.dst_desc()));
  ctx.add_primitive(dnnl::pooling_v2_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(x)));
  return ok_status();
}

}  // namespace

Status infer_reduce(InferContext& ctx, const ReduceSpec& spec) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, ctx.opset() >= spec.axes_input_opset ? 2 : 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 0, DNNL_MAX_NDIMS));
  if (ctx.has_input(1)) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
    const Dims& axes = ctx.input_shape(1);
    const bool known_empty = std::find(axes.begin(), axes.end(), 0) != axes.end();
    if (!known_empty && ctx.constant_pending(1)) {
      // Axes read from a graph input (a plan per their values) or computed
      // from a dynamic batch's shape: known in the session's plan.
      CNNRT_ASSIGN_OR_RETURN(int64_t keepdims, ctx.attrs().get_int("keepdims", 1));
      if (keepdims != 0)
        ctx.set_output(0, DType::f32, Dims(ctx.input_shape(0).size(), kUnknownDim));
      else
        ctx.set_output_unknown_rank(0, DType::f32);
      return ok_status();
    }
    if (!known_empty) CNNRT_RETURN_IF_ERROR(ctx.expect_constant(1, "axes"));
  }
  CNNRT_ASSIGN_OR_RETURN(ReducePlan plan, plan_reduce(ctx.attrs(), ctx.opset(), spec, ctx.input_rank(0),
                                                      ctx.input_constant(1), ctx.has_input(1)));
  ctx.set_output(0, DType::f32, output_dims(ctx.input_shape(0), plan));
  return ok_status();
}

Status lower_reduce(LowerContext& ctx, const ReduceSpec& spec) {
  CNNRT_ASSIGN_OR_RETURN(ReducePlan plan, plan_for(ctx, spec));
  if (plan.noop) {
    CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
    CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
    (void)dst;
    return ok_status();
  }
  const Dims& x = ctx.input_dims(0);
  if (numel(x) == 0) return lower_empty(ctx, spec);
  // A scalar (oneDNN has no rank-0 memory) or only unit dims reduced.
  const Dims kd = kept_dims(x, plan);
  if (kd == x) return lower_single(ctx, spec, x.empty() ? Dims{1} : x);
  if (spec.finish == ReduceSpec::Finish::log_sum_exp) {
    CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc dst_md, plain_md(DType::f32, kd));
    CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, dst_md));
    return lower_log_sum_exp(ctx, kd, dst, dst_md);
  }
  if (is_global_pool(spec, plan, x)) return lower_global_pool(ctx, spec, plan.keepdims, x, kd);

  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc src_md, ctx.input_md(0));
  dnnl::post_ops ops;
  if (spec.finish == ReduceSpec::Finish::log) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_log, 0.0f, 0.0f);
  auto make_pd = [&](const dnnl::memory::desc& dst_md) {
    return dnnl::reduction::primitive_desc(dnnl::reduction::desc(spec.alg, src_md, dst_md, spec.p, 0.0f),
                                           ctx.make_attr(ops), ctx.engine());
  };
  dnnl::reduction::primitive_desc pd = make_pd(any_md(kd));
  if (!plan.keepdims && !is_plain(pd.dst_desc())) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc plain, plain_md(DType::f32, kd));
    pd = make_pd(plain);
  }
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, place_output(ctx, plan.keepdims, pd.dst_desc()));
  ctx.add_primitive(dnnl::reduction(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(x)));
  return ok_status();
}

}  // namespace cnnrt
