// Pow (ai.onnx 1-28): X ^ Y with numpy broadcasting (from opset 7; before
// it, the broadcast/axis attributes). The output has X's type; Y may be any
// numeric type (opset 12+).
//
// float32 X, constant exponent with one value (x^2, x^0.5, ...): oneDNN's
// eltwise_pow(1, y), in place, fusable into Conv/Gemm. oneDNN 2.6 has no
// binary pow, so a tensor exponent is composed from oneDNN primitives:
//   |x|^y = exp(y * log|x|)  with log|x| clipped to +-FLT_MAX, so that
//                            0^y, inf^y and x^0 come out as 0, inf or 1
//   * (-1)                   where x < 0 and y is an odd integer
//   + NaN                    where x < 0 and y is not an integer, or x is
//                            NaN (added as sqrt(1 - 2 mask) - 1, exactly 0
//                            or NaN: a mask times NaN would poison every
//                            element, and oneDNN's log(1) is not exactly 0)
// The relative error is about |y| * 1.5e-6 (oneDNN 2.6's log is off by
// ~1.4e-6 in absolute terms; its exp adds ~1e-7): fine for the exponents
// models use, visible for large ones (1^100 gives 0.99986).
//
// Integer X: an exact loop (wrapping integer powers by squaring; a float
// exponent goes through double and truncates), as oneDNN has no integer
// pow.
#include <cmath>
#include <limits>

#include "ops/common/binary.h"
#include "ops/common/broadcast.h"
#include "ops/common/eltwise.h"
#include "ops/common/integer_types.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

bool numeric(DType t) { return t == DType::f32 || is_integer_type(t); }

Status infer_pow(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
  const DType x = ctx.input_dtype(0), y = ctx.input_dtype(1);
  if (!numeric(x) || !numeric(y))
    return unsupported("element types ", dtype_name(x), " ^ ", dtype_name(y), "; supported: float and integer types");
  if (ctx.opset() < 12 && (x != DType::f32 || y != DType::f32))
    return invalid_model("before opset 12 both inputs must be float, got ", dtype_name(x), " and ", dtype_name(y));
  CNNRT_ASSIGN_OR_RETURN(BroadcastPlan p,
                         plan_broadcast(ctx.attrs(), ctx.opset(), 7, ctx.input_shape(0), ctx.input_shape(1)));
  ctx.set_output(0, x, p.out);
  return ok_status();
}

// The exponent's single value if it is a constant with all elements equal.
bool uniform_exponent(const TensorData* y, float* value) {
  if (!y || y->count() == 0) return false;
  const double v = element_as_double(*y, 0);
  for (int64_t i = 1; i < y->count(); ++i)
    if (element_as_double(*y, i) != v) return false;
  *value = static_cast<float>(v);
  return true;
}

// ------------------------------------------------------------ integer base

template <class T>
T integer_power(T base, int64_t e) {
  if (e < 0) {
    // Only 1 and -1 have integer reciprocals; others truncate to 0.
    if (base == 1) return 1;
    if (std::is_signed<T>::value && base == static_cast<T>(-1)) return (e % 2 == 0) ? 1 : base;
    return 0;
  }
  T result = 1;
  while (e > 0) {
    if (e & 1) result = wrap_mul(result, base);
    base = wrap_mul(base, base);
    e >>= 1;
  }
  return result;
}

template <class T>
T from_double(double v) {
  // Out-of-range conversions are undefined behaviour: saturate instead.
  if (!(v == v)) return 0;
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

template <class T>
double exponent_at(const void* data, DType type, int64_t i) {
  if (type == DType::f32) return static_cast<const float*>(data)[i];
  return visit_integer_type(type, [&](auto tag) {
    using E = typename decltype(tag)::type;
    return static_cast<double>(static_cast<const E*>(data)[i]);
  });
}

Status lower_pow_integer(LowerContext& ctx, const BroadcastPlan& p) {
  CNNRT_ASSIGN_OR_RETURN(int x, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int y, ctx.input_plain(1));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  const std::vector<std::vector<int64_t>> strides = {broadcast_strides(p.in[0], p.out),
                                                     broadcast_strides(p.in[1], p.out)};
  const DType ytype = ctx.input_dtype(1);
  const bool float_exponent = ytype == DType::f32;
  const Dims dims = p.out;
  Kernel k = visit_integer_type(ctx.input_dtype(0), [&](auto tag) -> Kernel {
    using T = typename decltype(tag)::type;
    return [dims, strides, ytype, float_exponent](const KernelIO& io) {
      const T* base = static_cast<const T*>(io.in[0]);
      T* dst = static_cast<T*>(io.out[0]);
      for_each_broadcast(dims, strides, [&](int64_t i, const std::vector<int64_t>& off) {
        const double e = exponent_at<T>(io.in[1], ytype, off[1]);
        if (float_exponent)
          dst[i] = from_double<T>(std::pow(static_cast<double>(base[off[0]]), e));
        else
          dst[i] = integer_power<T>(base[off[0]], from_double<int64_t>(e));
      });
      return ok_status();
    };
  });
  ctx.add_kernel("pow_integer", std::move(k), {x, y}, {out});
  return ok_status();
}

// ------------------------------------------------------------ float32 base

Status lower_pow_tensor_exponent(LowerContext& ctx, const BroadcastPlan& p) {
  const Dims out = dnnl_dims(p.out);
  const Dims px = pad_leading(p.in[0], out.size()), py = pad_leading(p.in[1], out.size());
  const size_t rank = out.size();
  CNNRT_ASSIGN_OR_RETURN(Operand x, input_operand(ctx, 0, px, /*keep_layout=*/false));
  CNNRT_ASSIGN_OR_RETURN(Operand y, input_as_f32(ctx, 1, py));
  const Operand one = scalar_constant(ctx, 1.0f, rank), half = scalar_constant(ctx, 0.5f, rank),
                zero = scalar_constant(ctx, 0.0f, rank);
  const float big = std::numeric_limits<float>::max();
  // Binary steps want the operand with the output's shape first.
  auto full_first = [&](const Operand& a, const Operand& b) { return a.dims() == out ? std::make_pair(a, b) : std::make_pair(b, a); };

  CNNRT_ASSIGN_OR_RETURN(Operand log_abs, temporary(ctx, px));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_mul, x, one, log_abs,
                                   {PostStep::eltwise(alg::eltwise_abs), PostStep::eltwise(alg::eltwise_log),
                                    PostStep::eltwise(alg::eltwise_clip, -big, big)}));
  CNNRT_ASSIGN_OR_RETURN(Operand magnitude, temporary(ctx, out));
  auto m = full_first(y, log_abs);
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_mul, m.first, m.second, magnitude, {PostStep::eltwise(alg::eltwise_exp)}));

  // Exponent classes: not an integer; odd integer (|r - 2 round(r / 2)| = 1
  // with r = round(y)).
  CNNRT_ASSIGN_OR_RETURN(Operand rounded, temporary(ctx, py));
  CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, alg::eltwise_round, 0, 0, y, rounded));
  CNNRT_ASSIGN_OR_RETURN(Operand not_integer, temporary(ctx, py));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_ne, y, rounded, not_integer));
  CNNRT_ASSIGN_OR_RETURN(Operand odd, temporary(ctx, py));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_mul, rounded, half, odd,
                                   {PostStep::eltwise(alg::eltwise_round), PostStep::eltwise(alg::eltwise_linear, -2, 0),
                                    PostStep::binary(alg::binary_add, rounded), PostStep::eltwise(alg::eltwise_abs)}));
  // Base classes: negative; NaN.
  CNNRT_ASSIGN_OR_RETURN(Operand negative, temporary(ctx, px));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_lt, x, zero, negative));
  CNNRT_ASSIGN_OR_RETURN(Operand base_nan, temporary(ctx, px));
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_ne, x, x, base_nan));

  // NaN term: sqrt(1 - 2 * (negative * not_integer + base_nan)) - 1, 0 or NaN.
  CNNRT_ASSIGN_OR_RETURN(Operand nan_term, temporary(ctx, out));
  auto n = full_first(not_integer, negative);
  CNNRT_RETURN_IF_ERROR(add_binary(ctx, alg::binary_mul, n.first, n.second, nan_term,
                                   {PostStep::binary(alg::binary_add, base_nan),
                                    PostStep::eltwise(alg::eltwise_linear, -2, 1), PostStep::eltwise(alg::eltwise_sqrt),
                                    PostStep::binary(alg::binary_sub, one)}));
  // Sign: 1 - 2 * odd * negative.
  CNNRT_ASSIGN_OR_RETURN(Operand sign, temporary(ctx, out));
  auto s = full_first(odd, negative);
  CNNRT_RETURN_IF_ERROR(
      add_binary(ctx, alg::binary_mul, s.first, s.second, sign, {PostStep::eltwise(alg::eltwise_linear, -2, 1)}));

  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_plain(0));
  return add_binary(ctx, alg::binary_mul, magnitude, sign, Operand{dst, magnitude.md},
                    {PostStep::binary(alg::binary_add, nan_term)});
}

Result<EltwiseChain> pow_chain(const EltwiseNode& n) {
  float e = 0;
  if (!uniform_exponent(n.constant(1), &e)) return unsupported("the exponent is not one constant value");
  return EltwiseChain{{alg::eltwise_pow, 1.0f, e}};
}

Status lower_pow(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(BroadcastPlan p,
                         plan_broadcast(ctx.attrs(), ctx.opset(), 7, ctx.input_dims(0), ctx.input_dims(1)));
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  if (is_integer_type(ctx.input_dtype(0))) return lower_pow_integer(ctx, p);
  auto chain = pow_chain(eltwise_node(ctx));
  if (chain.ok() && p.out == ctx.input_dims(0)) return lower_eltwise_chain(ctx, chain.value());
  return lower_pow_tensor_exponent(ctx, p);
}

// Fusable when the exponent is one constant and does not broadcast X.
bool pow_as_post_op(const Graph& g, const Node& n, std::vector<PostOp>* out) {
  if (n.inputs.size() != 2 || n.inputs[1] < 0 || n.outputs.empty() || n.outputs[0] < 0) return false;
  if (g.values[n.outputs[0]].shape != g.values[n.inputs[0]].shape) return false;
  auto chain = pow_chain(eltwise_node(g, n));
  if (!chain.ok()) return false;
  append_post_ops(chain.value(), out);
  return true;
}

}  // namespace

void register_pow(OpRegistry& r) {
  OpDef def;
  def.op_type = "Pow";
  def.first_opset = 1;
  def.infer = infer_pow;
  def.lower = lower_pow;
  def.as_post_op = pow_as_post_op;
  r.add(def);
}

}  // namespace cnnrt
