#include "ops/common/binary.h"

#include <algorithm>
#include <limits>

#include "ops/common/broadcast.h"
#include "ops/common/integer_types.h"
#include "ops/common/onednn_steps.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

alg dnnl_alg(BinaryOp op) {
  switch (op) {
    case BinaryOp::add: return alg::binary_add;
    case BinaryOp::sub: return alg::binary_sub;
    case BinaryOp::mul: return alg::binary_mul;
    case BinaryOp::div: return alg::binary_div;
    case BinaryOp::max: return alg::binary_max;
    case BinaryOp::min: return alg::binary_min;
    case BinaryOp::equal: return alg::binary_eq;
    case BinaryOp::less: return alg::binary_lt;
    case BinaryOp::greater: return alg::binary_gt;
    case BinaryOp::less_equal: return alg::binary_le;
    case BinaryOp::greater_equal: return alg::binary_ge;
  }
  return alg::undef;
}

// The algorithm computing op(b, a) from src0 = b, src1 = a, and whether the
// result must be negated; undef if no exact exchange exists (Div).
alg swapped_alg(BinaryOp op, bool* negate) {
  *negate = false;
  switch (op) {
    case BinaryOp::add: case BinaryOp::mul: case BinaryOp::max: case BinaryOp::min: case BinaryOp::equal:
      return dnnl_alg(op);
    case BinaryOp::sub: *negate = true; return alg::binary_sub;  // a - b = -(b - a), exact
    case BinaryOp::less: return alg::binary_gt;
    case BinaryOp::greater: return alg::binary_lt;
    case BinaryOp::less_equal: return alg::binary_ge;
    case BinaryOp::greater_equal: return alg::binary_le;
    case BinaryOp::div: return alg::undef;
  }
  return alg::undef;
}

bool is_comparison(BinaryOp op) {
  return op == BinaryOp::equal || op == BinaryOp::less || op == BinaryOp::greater || op == BinaryOp::less_equal ||
         op == BinaryOp::greater_equal;
}

// ------------------------------------------------------------ integer loops

template <class T>
struct IntArith {
  BinaryOp op;
  bool* divided_by_zero;
  T operator()(T a, T b) const {
    switch (op) {
      case BinaryOp::add: return wrap_add(a, b);
      case BinaryOp::sub: return wrap_sub(a, b);
      case BinaryOp::mul: return wrap_mul(a, b);
      case BinaryOp::div:
        if (b == 0) {
          *divided_by_zero = true;
          return 0;
        }
        // The one overflowing quotient (INT_MIN / -1) traps on x86; it
        // wraps to INT_MIN like the other overflows.
        if (std::is_signed<T>::value && b == static_cast<T>(-1)) return wrap_sub(static_cast<T>(0), a);
        return static_cast<T>(a / b);  // truncates toward zero, as C and ONNX Runtime do
      case BinaryOp::max: return a < b ? b : a;
      case BinaryOp::min: return b < a ? b : a;
      default: return 0;
    }
  }
};

template <class T>
struct Compare {
  BinaryOp op;
  uint8_t operator()(T a, T b) const {
    switch (op) {
      case BinaryOp::equal: return a == b;
      case BinaryOp::less: return a < b;
      case BinaryOp::greater: return a > b;
      case BinaryOp::less_equal: return a <= b;
      case BinaryOp::greater_equal: return a >= b;
      default: return 0;
    }
  }
};

// out[i] = fold over the inputs (broadcast) of f, for 1..n inputs.
template <class T, class Out, class F>
Kernel fold_kernel(Dims out, std::vector<std::vector<int64_t>> strides, F f, bool* flag, const char* flag_error) {
  return [out, strides, f, flag, flag_error](const KernelIO& io) -> Status {
    const size_t n = strides.size();
    Out* y = static_cast<Out*>(io.out[0]);
    if (flag) *flag = false;
    for_each_broadcast(out, strides, [&](int64_t i, const std::vector<int64_t>& off) {
      T acc = static_cast<const T*>(io.in[0])[off[0]];
      if (n == 1) {
        y[i] = static_cast<Out>(acc);
        return;
      }
      for (size_t k = 1; k + 1 < n; ++k) acc = static_cast<T>(f(acc, static_cast<const T*>(io.in[k])[off[k]]));
      y[i] = f(acc, static_cast<const T*>(io.in[n - 1])[off[n - 1]]);
    });
    if (flag && *flag) return invalid_argument(flag_error);
    return ok_status();
  };
}

// The integer (and bool) path: exact C++ arithmetic with broadcasting.
Status lower_integer(LowerContext& ctx, BinaryOp op, const std::vector<Dims>& padded, const Dims& out) {
  std::vector<int> inputs;
  std::vector<std::vector<int64_t>> strides;
  for (size_t i = 0; i < padded.size(); ++i) {
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input_plain(i));
    inputs.push_back(t);
    strides.push_back(broadcast_strides(padded[i], out));
  }
  CNNRT_ASSIGN_OR_RETURN(int y, ctx.output_plain(0));
  const DType type = ctx.input_dtype(0) == DType::boolean ? DType::u8 : ctx.input_dtype(0);
  // The flag lives as long as the kernel (shared by its copies).
  auto flag = std::make_shared<bool>(false);
  Kernel k = visit_integer_type(type, [&](auto tag) -> Kernel {
    using T = typename decltype(tag)::type;
    if (is_comparison(op)) return fold_kernel<T, uint8_t>(out, strides, Compare<T>{op}, nullptr, nullptr);
    Kernel inner = fold_kernel<T, T>(out, strides, IntArith<T>{op, flag.get()}, flag.get(), "integer division by zero");
    return [inner, flag](const KernelIO& io) { return inner(io); };
  });
  ctx.add_kernel(is_comparison(op) ? "compare_integer" : "binary_integer", std::move(k), inputs, {y});
  return ok_status();
}

// ------------------------------------------------------------ float32 on oneDNN

// Input i as an operand at the output's rank; keeps its layout when it has
// the output's shape and `keep` is set.
Result<Operand> operand_at(LowerContext& ctx, size_t i, const Dims& padded, const Dims& out, bool keep) {
  return input_operand(ctx, i, padded, keep && padded == out);
}

Status lower_float(LowerContext& ctx, BinaryOp op, bool bool_output, Dims p0, Dims p1, const Dims& out_shape) {
  const Dims out = dnnl_dims(out_shape);
  p0 = pad_leading(p0, out.size());
  p1 = pad_leading(p1, out.size());
  size_t first = 0, second = 1;
  alg a = dnnl_alg(op);
  std::vector<PostStep> post;
  bool negate = false;
  const alg swapped = swapped_alg(op, &negate);
  if (p0 != out && p1 == out && swapped != alg::undef) {
    std::swap(first, second);
    std::swap(p0, p1);
    a = swapped;
    if (negate) post.push_back(PostStep::eltwise(alg::eltwise_linear, -1.0f, 0.0f));
  }
  CNNRT_ASSIGN_OR_RETURN(Operand src0, operand_at(ctx, first, p0, out, /*keep=*/true));
  bool src0_is_input = true;
  if (p0 != out) {
    CNNRT_ASSIGN_OR_RETURN(src0, materialize_broadcast(ctx, src0, out));
    src0_is_input = false;
  }
  // The second operand in the first's layout when it has the same shape
  // (a reorder only if the layouts differ), else row-major and broadcast.
  Operand src1;
  if (p1 == out && dnnl_dims(ctx.input_dims(second)) == out) {
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input(second, src0.md));
    src1 = Operand{t, src0.md};
  } else {
    CNNRT_ASSIGN_OR_RETURN(src1, operand_at(ctx, second, p1, out, /*keep=*/false));
    CNNRT_ASSIGN_OR_RETURN(src1, in_layout_of(ctx, src1, src0.md));
    const bool jit_pair = !is_blocked(src0.md) || (is_blocked(src1.md) && src0.md.data.format_desc.blocking.inner_blks[0] == 16);
    if (src0_is_input && !jit_pair && out.size() >= 3) {
      // oneDNN 2.6 broadcasts into a channel-blocked tensor with a jit kernel
      // only for nChw16c with a matching blocked second source (nChw8c x
      // [1,C,1,1] runs the reference kernel: 8.3 ms on RegNet's first gate);
      // channels-last has a jit kernel, so convert the big operand once.
      CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc nhwc, channels_last_md(src0.md));
      CNNRT_ASSIGN_OR_RETURN(int t, ctx.input(first, nhwc));
      src0 = Operand{t, nhwc};
      CNNRT_ASSIGN_OR_RETURN(src1, operand_at(ctx, second, p1, out, /*keep=*/false));
      CNNRT_ASSIGN_OR_RETURN(src1, in_layout_of(ctx, src1, src0.md));
    }
  }
  if (bool_output) {
    // bool has no oneDNN type; its bytes are written as u8 0/1.
    CNNRT_ASSIGN_OR_RETURN(int y, ctx.output_plain(0));
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::u8, out));
    CNNRT_ASSIGN_OR_RETURN(int view, ctx.view(y, md));
    return add_binary(ctx, a, src0, src1, Operand{view, md}, post);
  }
  int dst = -1;
  if (src0_is_input) {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output_inplace(0, src0.tensor, src0.md));
  } else {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output(0, src0.md));
  }
  return add_binary(ctx, a, src0, src1, Operand{dst, src0.md}, post, /*node_post_ops=*/true);
}

}  // namespace

Result<BroadcastPlan> plan_broadcast(const Attributes& attrs, int opset, int legacy_below, const Dims& a,
                                     const Dims& b) {
  BroadcastPlan p;
  if (opset < legacy_below) {
    CNNRT_ASSIGN_OR_RETURN(p.in[1], legacy_broadcast_dims(attrs, a, b));
    p.out = a;
    p.in[0] = a;
    return p;
  }
  CNNRT_ASSIGN_OR_RETURN(p.out, broadcast_shapes(a, b));
  p.in[0] = pad_leading(a, p.out.size());
  p.in[1] = pad_leading(b, p.out.size());
  return p;
}

Status infer_binary(InferContext& ctx, const BinarySpec& spec) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
  const DType t = ctx.input_dtype(0);
  const bool bool_ok = spec.op == BinaryOp::equal;
  if (t != DType::f32 && !is_integer_type(t) && !(bool_ok && t == DType::boolean))
    return unsupported("input 0 has element type ", dtype_name(t), "; supported: float, integer types",
                       bool_ok ? ", bool" : "");
  if (ctx.input_dtype(1) != t)
    return invalid_model("the inputs have different element types (", dtype_name(t), " and ",
                         dtype_name(ctx.input_dtype(1)), ")");
  CNNRT_ASSIGN_OR_RETURN(BroadcastPlan p, plan_broadcast(ctx.attrs(), ctx.opset(), spec.legacy_below,
                                                         ctx.input_shape(0), ctx.input_shape(1)));
  ctx.set_output(0, spec.bool_output ? DType::boolean : t, p.out);
  return ok_status();
}

Status lower_binary(LowerContext& ctx, const BinarySpec& spec) {
  CNNRT_ASSIGN_OR_RETURN(BroadcastPlan p, plan_broadcast(ctx.attrs(), ctx.opset(), spec.legacy_below,
                                                         ctx.input_dims(0), ctx.input_dims(1)));
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  if (ctx.input_dtype(0) != DType::f32) return lower_integer(ctx, spec.op, {p.in[0], p.in[1]}, p.out);
  return lower_float(ctx, spec.op, spec.bool_output, p.in[0], p.in[1], p.out);
}

// ------------------------------------------------------------ variadic

Status infer_variadic(InferContext& ctx, bool integers_allowed) {
  if (ctx.num_inputs() < 1) return invalid_model("expects at least one input");
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(ctx.num_inputs(), ctx.num_inputs()));
  const DType t = ctx.input_dtype(0);
  if (t != DType::f32 && !(integers_allowed && is_integer_type(t)))
    return unsupported("input 0 has element type ", dtype_name(t), "; supported: float",
                       integers_allowed ? ", integer types" : "");
  Dims out = ctx.input_shape(0);
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    if (ctx.input_dtype(i) != t)
      return invalid_model("input ", i, " has element type ", dtype_name(ctx.input_dtype(i)), ", input 0 ",
                           dtype_name(t));
    if (ctx.opset() < 8) {
      const Dims& d = ctx.input_shape(i);
      bool same = d.size() == out.size();
      for (size_t k = 0; same && k < d.size(); ++k) same = d[k] == out[k] || d[k] < 0 || out[k] < 0;
      if (!same)
        return invalid_model("before opset 8 the inputs must have one shape, got ", dims_str(out), " and ", dims_str(d));
      continue;
    }
    CNNRT_ASSIGN_OR_RETURN(out, broadcast_shapes(out, ctx.input_shape(i)));
  }
  ctx.set_output(0, t, out);
  return ok_status();
}

Status lower_variadic(LowerContext& ctx, BinaryOp op, bool mean) {
  const size_t n = ctx.num_inputs();
  const Dims& out_shape = ctx.output_dims(0);
  std::vector<Dims> padded;
  for (size_t i = 0; i < n; ++i) padded.push_back(pad_leading(ctx.input_dims(i), out_shape.size()));
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  if (ctx.input_dtype(0) != DType::f32) return lower_integer(ctx, op, padded, out_shape);

  const Dims out = dnnl_dims(out_shape);
  for (Dims& p : padded) p = pad_leading(p, out.size());
  const float scale = mean ? 1.0f / static_cast<float>(n) : 1.0f;
  // Start from an input that already has the output's shape (all these ops
  // are commutative); materialise the first one if none has.
  size_t first = 0;
  for (size_t i = 0; i < n; ++i)
    if (padded[i] == out) {
      first = i;
      break;
    }
  CNNRT_ASSIGN_OR_RETURN(Operand acc, input_operand(ctx, first, padded[first], /*keep_layout=*/padded[first] == out));
  bool acc_is_input = true;
  if (padded[first] != out) {
    CNNRT_ASSIGN_OR_RETURN(acc, materialize_broadcast(ctx, acc, out));
    acc_is_input = false;
  }
  // In place only as a single step: a chain reads its inputs after the
  // first step has written the output.
  const bool single_step = n <= 2 || (op == BinaryOp::add && std::all_of(padded.begin(), padded.end(),
                                                                          [&](const Dims& p) { return p == out; }));
  int dst = -1;
  if (acc_is_input && single_step) {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output_inplace(0, acc.tensor, acc.md));
  } else {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output(0, acc.md));
  }
  const Operand y{dst, acc.md};
  if (n == 1) return add_eltwise(ctx, alg::eltwise_linear, scale, 0.0f, acc, y);  // a copy (or Mean of one)

  // Sum and Mean of equally shaped inputs: one oneDNN sum primitive.
  if (op == BinaryOp::add && single_step && n > 2) {
    std::vector<dnnl::memory::desc> mds;
    std::vector<std::pair<int, int>> args;
    for (size_t i = 0; i < n; ++i) {
      CNNRT_ASSIGN_OR_RETURN(int t, ctx.input(i, acc.md));
      mds.push_back(acc.md);
      args.push_back({DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), t});
    }
    dnnl::sum::primitive_desc pd(y.md, std::vector<float>(n, scale), mds, ctx.engine(), step_attr());
    args.push_back({DNNL_ARG_DST, y.tensor});
    args.push_back({DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())});
    ctx.add_primitive(dnnl::sum(pd), pd, std::move(args), static_cast<double>(numel(out) * static_cast<int64_t>(n)));
    return ok_status();
  }
  // Otherwise binary steps accumulating in the output (Mean scales in the
  // last one).
  std::vector<size_t> rest;
  for (size_t i = 0; i < n; ++i)
    if (i != first) rest.push_back(i);
  Operand src0 = acc;
  for (size_t k = 0; k < rest.size(); ++k) {
    const size_t i = rest[k];
    Operand other;
    if (padded[i] == out && dnnl_dims(ctx.input_dims(i)) == out) {
      CNNRT_ASSIGN_OR_RETURN(int t, ctx.input(i, acc.md));
      other = Operand{t, acc.md};
    } else {
      CNNRT_ASSIGN_OR_RETURN(other, input_operand(ctx, i, padded[i], /*keep_layout=*/false));
    }
    std::vector<PostStep> post;
    if (mean && k + 1 == rest.size()) post.push_back(PostStep::eltwise(alg::eltwise_linear, scale, 0.0f));
    CNNRT_RETURN_IF_ERROR(add_binary(ctx, dnnl_alg(op), src0, other, y, post));
    src0 = y;
  }
  return ok_status();
}

}  // namespace cnnrt
