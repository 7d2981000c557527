#include "ops/common/arg_extreme.h"

#include <cstdint>

#include "runtime/infer_context.h"
#include "runtime/lower_context.h"

namespace cnnrt {
namespace {

struct ArgAttrs {
  int64_t axis = 0;
  bool keepdims = true;
  bool last = false;
};

Result<ArgAttrs> read_arg(const Attributes& attrs, int opset, int64_t rank) {
  ArgAttrs a;
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, attrs.get_int("axis", 0));
  if (axis < 0 && opset < 11) return invalid_model("negative axis ", axis, " needs opset 11 or later");
  CNNRT_ASSIGN_OR_RETURN(a.axis, normalize_axis(axis, rank, "axis"));
  CNNRT_ASSIGN_OR_RETURN(int64_t keepdims, attrs.get_int("keepdims", 1));
  if (keepdims != 0 && keepdims != 1) return invalid_model("keepdims must be 0 or 1, got ", keepdims);
  a.keepdims = keepdims == 1;
  if (opset >= 12) {
    CNNRT_ASSIGN_OR_RETURN(int64_t last, attrs.get_int("select_last_index", 0));
    if (last != 0 && last != 1) return invalid_model("select_last_index must be 0 or 1, got ", last);
    a.last = last == 1;
  } else if (attrs.has("select_last_index")) {
    return invalid_model("attribute 'select_last_index' is not valid at this opset");
  }
  return a;
}

template <class T>
void arg_extreme(const T* x, int64_t* y, int64_t outer, int64_t len, int64_t inner, bool largest, bool last) {
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const T* p = x + o * len * inner + i;
      int64_t best = 0;
      for (int64_t k = 1; k < len; ++k) {
        const T v = p[k * inner], b = p[best * inner];
        const bool better = largest ? (last ? v >= b : v > b) : (last ? v <= b : v < b);
        if (better) best = k;
      }
      y[o * inner + i] = best;
    }
}

}  // namespace

Status infer_arg_extreme(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32, DType::i32, DType::i64}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, DNNL_MAX_NDIMS));
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(ArgAttrs a, read_arg(ctx.attrs(), ctx.opset(), ctx.input_rank(0)));
  if (x[a.axis] == 0) return invalid_model("axis ", a.axis, " of ", dims_str(x), " is empty: there is no extreme");
  Dims y;
  for (size_t i = 0; i < x.size(); ++i) {
    if (static_cast<int64_t>(i) != a.axis)
      y.push_back(x[i]);
    else if (a.keepdims)
      y.push_back(1);
  }
  ctx.set_output(0, DType::i64, y);
  return ok_status();
}

Status lower_arg_extreme(LowerContext& ctx, bool largest) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(ArgAttrs a, read_arg(ctx.attrs(), ctx.opset(), static_cast<int64_t>(x.size())));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < static_cast<int64_t>(x.size()); ++i)
    if (i != a.axis) (i < a.axis ? outer : inner) *= x[i];
  const int64_t len = x[a.axis];
  const DType t = ctx.input_dtype(0);
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_plain(0));
  const bool last = a.last;
  Kernel k = [=](const KernelIO& io) {
    int64_t* y = static_cast<int64_t*>(io.out[0]);
    if (t == DType::f32)
      arg_extreme(static_cast<const float*>(io.in[0]), y, outer, len, inner, largest, last);
    else if (t == DType::i32)
      arg_extreme(static_cast<const int32_t*>(io.in[0]), y, outer, len, inner, largest, last);
    else
      arg_extreme(static_cast<const int64_t*>(io.in[0]), y, outer, len, inner, largest, last);
    return ok_status();
  };
  ctx.add_kernel(largest ? "argmax" : "argmin", std::move(k), {src}, {dst}, static_cast<double>(numel(x)));
  return ok_status();
}

}  // namespace cnnrt
