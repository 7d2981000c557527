// Clip (ai.onnx 1-28): min(max(x, lo), hi). Before opset 11 the bounds are
// the attributes min/max; from 11 they are optional scalar inputs. A missing
// bound does not clip; lo > hi gives hi everywhere (numpy.clip).
//
// float32 with constant bounds (attributes, initializers, folded values):
// oneDNN's eltwise_clip, in place, and fusable into Conv/Gemm (ReLU6 is
// Clip(0, 6)). float32 with bounds computed at run time: one binary_max
// with a binary_min post-op. Integer types (opset 12+): an exact loop
// (oneDNN's eltwise has no integer types).
//
// NaN inputs: oneDNN's clip and max/min return the lower bound (or the
// other operand) for NaN instead of NaN.
#include <cmath>
#include <limits>

#include "ops/common/eltwise.h"
#include "ops/common/integer_types.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

struct Bounds {
  bool has_lo = false, has_hi = false;
  double lo = 0, hi = 0;
};

// A bound input must hold one element.
Status check_bound_shape(const Dims& d, const char* what) {
  for (int64_t x : d)
    if (x != 1 && x >= 0) return invalid_model(what, " must be a scalar, got shape ", dims_str(d));
  return ok_status();
}

// The bounds if they are known without running (attributes or constants);
// `known` is false when an input bound is computed at run time.
Result<Bounds> constant_bounds(const EltwiseNode& n, bool* known) {
  Bounds b;
  *known = true;
  if (n.opset < 11) {
    if (n.attrs.has("min")) {
      CNNRT_ASSIGN_OR_RETURN(float v, n.attrs.get_float("min", 0));
      b.has_lo = true;
      b.lo = v;
    }
    if (n.attrs.has("max")) {
      CNNRT_ASSIGN_OR_RETURN(float v, n.attrs.get_float("max", 0));
      b.has_hi = true;
      b.hi = v;
    }
    return b;
  }
  if (n.attrs.has("min") || n.attrs.has("max"))
    return invalid_model("from opset 11 the bounds are inputs, not attributes min/max");
  for (size_t i = 1; i <= 2; ++i) {
    if (!n.has_input(i)) continue;
    const TensorData* t = n.constant(i);
    if (!t) {
      *known = false;
      continue;
    }
    if (t->count() != 1) return invalid_model(i == 1 ? "min" : "max", " must be a scalar, got shape ", dims_str(t->dims));
    (i == 1 ? b.has_lo : b.has_hi) = true;
    (i == 1 ? b.lo : b.hi) = element_as_double(*t, 0);
  }
  return b;
}

Result<EltwiseChain> clip_chain(const EltwiseNode& n) {
  bool known = false;
  CNNRT_ASSIGN_OR_RETURN(Bounds b, constant_bounds(n, &known));
  if (!known) return unsupported("the bounds are computed at run time");
  if (!b.has_lo && !b.has_hi) return EltwiseChain{{alg::eltwise_linear, 1.0f, 0.0f}};  // identity, keeps NaN
  const float inf = std::numeric_limits<float>::infinity();
  float lo = b.has_lo ? static_cast<float>(b.lo) : -inf;
  const float hi = b.has_hi ? static_cast<float>(b.hi) : inf;
  if (std::isnan(lo) || std::isnan(hi)) return invalid_model("the bounds must not be NaN");
  if (lo > hi) lo = hi;  // numpy.clip: everything becomes hi (oneDNN refuses lo > hi)
  return EltwiseChain{{alg::eltwise_clip, lo, hi}};
}

Status infer_clip(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, ctx.opset() >= 11 ? 3 : 1));
  const DType t = ctx.input_dtype(0);
  if (t != DType::f32 && !(ctx.opset() >= 12 && is_integer_type(t)))
    return unsupported("input 0 has element type ", dtype_name(t), "; supported: float",
                       ctx.opset() >= 12 ? " and integer types" : "");
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    if (ctx.input_dtype(i) != t)
      return invalid_model(i == 1 ? "min" : "max", " has type ", dtype_name(ctx.input_dtype(i)), ", the input ",
                           dtype_name(t));
    CNNRT_RETURN_IF_ERROR(check_bound_shape(ctx.input_shape(i), i == 1 ? "min" : "max"));
  }
  bool known = false;
  auto bounds = constant_bounds(eltwise_node(ctx), &known);
  if (!bounds.ok()) return bounds.status();
  ctx.set_output(0, t, ctx.input_shape(0));
  return ok_status();
}

// Integer Clip: exact, in the input's own type.
Status lower_clip_integer(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(int x, ctx.input_plain(0));
  std::vector<int> inputs = {x};
  int lo_slot = -1, hi_slot = -1;
  for (size_t i = 1; i <= 2 && i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input_plain(i));
    (i == 1 ? lo_slot : hi_slot) = static_cast<int>(inputs.size());
    inputs.push_back(t);
  }
  CNNRT_ASSIGN_OR_RETURN(int y, ctx.output_plain(0));
  const int64_t n = numel(ctx.input_dims(0));
  Kernel k = visit_integer_type(ctx.input_dtype(0), [&](auto tag) -> Kernel {
    using T = typename decltype(tag)::type;
    return [n, lo_slot, hi_slot](const KernelIO& io) {
      const T* src = static_cast<const T*>(io.in[0]);
      T* dst = static_cast<T*>(io.out[0]);
      const T lo = lo_slot >= 0 ? *static_cast<const T*>(io.in[lo_slot]) : std::numeric_limits<T>::lowest();
      const T hi = hi_slot >= 0 ? *static_cast<const T*>(io.in[hi_slot]) : std::numeric_limits<T>::max();
      for (int64_t i = 0; i < n; ++i) {
        const T v = src[i] < lo ? lo : src[i];
        dst[i] = v > hi ? hi : v;
      }
      return ok_status();
    };
  });
  ctx.add_kernel("clip_integer", std::move(k), inputs, {y});
  return ok_status();
}

// float32 bounds computed at run time: max(x, lo) then min(., hi).
Status lower_clip_runtime_bounds(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, dnnl_dims(ctx.input_dims(0)), /*keep_layout=*/true));
  const Dims ones(x.dims().size(), 1);
  std::vector<Operand> bounds;
  for (size_t i = 1; i <= 2; ++i) {
    if (!ctx.has_input(i)) continue;
    CNNRT_ASSIGN_OR_RETURN(Operand b, input_operand(ctx, i, ones, /*keep_layout=*/false));
    bounds.push_back(b);
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_inplace(0, x.tensor, x.md));
  const bool has_lo = ctx.has_input(1);
  std::vector<PostStep> post;
  if (has_lo && bounds.size() == 2) post.push_back(PostStep::binary(alg::binary_min, bounds[1]));
  return add_binary(ctx, has_lo ? alg::binary_max : alg::binary_min, x, bounds[0], Operand{dst, x.md}, post);
}

Status lower_clip(LowerContext& ctx) {
  if (is_integer_type(ctx.input_dtype(0))) return lower_clip_integer(ctx);
  auto chain = clip_chain(eltwise_node(ctx));
  if (chain.ok()) return lower_eltwise_chain(ctx, chain.value());
  if (chain.status().code() != StatusCode::unsupported) return chain.status();
  return lower_clip_runtime_bounds(ctx);
}

}  // namespace

void register_clip(OpRegistry& r) {
  OpDef def;
  def.op_type = "Clip";
  def.first_opset = 1;
  def.infer = infer_clip;
  def.lower = lower_clip;
  def.as_post_op = eltwise_as_post_op<clip_chain>;
  r.add(def);
}

}  // namespace cnnrt
