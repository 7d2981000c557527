// Unary elementwise ops whose ONNX forms also take integer tensors (Neg and
// Abs from opset 6: int8..int64, e.g. in shape arithmetic of exported
// normalisation layers). Float32 stays on the op's oneDNN eltwise chain;
// integer types take an exact, wrapping plain loop (oneDNN's eltwise has no
// integer types).
#pragma once

#include <cstring>

#include "ops/common/eltwise.h"
#include "ops/common/integer_types.h"

namespace cnnrt {

// Returns f(x) for one integer element, wrapping like two's complement.
struct IntegerNeg {
  template <class T>
  T operator()(T x) const { return wrap_sub(T{0}, x); }
};
struct IntegerAbs {
  template <class T>
  T operator()(T x) const { return x < T{0} ? wrap_sub(T{0}, x) : x; }
};

template <ChainFn F>
Status infer_float_or_integer_unary(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  if (!is_integer_type(ctx.input_dtype(0))) return infer_eltwise<F>(ctx);
  if (ctx.opset() < 6) return unsupported("integer inputs need opset 6 or later");
  ctx.set_output(0, ctx.input_dtype(0), ctx.input_shape(0));
  return ok_status();
}

template <ChainFn F, class IntOp>
Status lower_float_or_integer_unary(LowerContext& ctx) {
  const DType t = ctx.input_dtype(0);
  if (!is_integer_type(t)) return lower_eltwise<F>(ctx);
  CNNRT_ASSIGN_OR_RETURN(int in, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  const int64_t n = numel(ctx.output_dims(0));
  ctx.add_kernel("integer-unary", [t, n](const KernelIO& io) {
    visit_integer_type(t, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = static_cast<const T*>(io.in[0]);
      T* y = static_cast<T*>(io.out[0]);
      for (int64_t i = 0; i < n; ++i) y[i] = IntOp{}(x[i]);
      return 0;
    });
    return ok_status();
  }, {in}, {out});
  return ok_status();
}

template <ChainFn F, class IntOp>
OpDef float_or_integer_unary_def(const char* op_type) {
  OpDef def = eltwise_op_def<F>(op_type, 1);
  def.infer = infer_float_or_integer_unary<F>;
  def.lower = lower_float_or_integer_unary<F, IntOp>;
  return def;
}

}  // namespace cnnrt
