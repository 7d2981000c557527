// Squeeze (ai.onnx 1-28): removes dims of size 1, the listed `axes` or all
// of them, as a view of the row-major input (no copy, no step). Axes are an
// attribute before opset 13 (negative from 11) and an optional int64 input
// from 13.
#include <algorithm>

#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_squeeze(InferContext& ctx) {
  const Dims& x = ctx.input_shape(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  bool have_axes = false;
  std::vector<int64_t> axes;
  if (ctx.opset() < 13) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
    have_axes = ctx.attrs().has("axes");
    CNNRT_ASSIGN_OR_RETURN(axes, ctx.attrs().get_ints("axes", {}));
  } else {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 2));
    if (ctx.has_input(1)) {
      CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
      CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 1, 1));
      const TensorData* c = ctx.input_constant(1);
      if (!c) {
        const int64_t n = ctx.input_shape(1)[0];
        if (n < 0)
          ctx.set_output_unknown_rank(0, ctx.input_dtype(0));
        else
          ctx.set_output(0, ctx.input_dtype(0), Dims(static_cast<size_t>(std::max<int64_t>(rank - n, 0)), kUnknownDim));
        return ok_status();
      }
      have_axes = true;
      axes = tensor_ints(*c);
    }
  }
  if (ctx.opset() < 11)
    for (int64_t a : axes)
      if (a < 0) return invalid_model("negative axis ", a, " needs opset 11 or later");

  Dims out;
  if (have_axes) {
    CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> norm, normalize_axes(axes, rank, "axes"));
    for (int64_t a : norm)
      if (x[a] >= 0 && x[a] != 1)
        return invalid_model("cannot squeeze axis ", a, " of input ", dims_str(x), ": its size is ", x[a], ", not 1");
    for (int64_t k = 0; k < rank; ++k)
      if (std::find(norm.begin(), norm.end(), k) == norm.end()) out.push_back(x[k]);
  } else {
    // Without axes every dim of size 1 goes: the rank waits for unknown dims.
    if (!dims_known(x)) {
      ctx.set_output_unknown_rank(0, ctx.input_dtype(0));
      return ok_status();
    }
    for (int64_t d : x)
      if (d != 1) out.push_back(d);
  }
  if (const TensorData* c = ctx.input_constant(0)) {
    ctx.set_output_constant(0, relabel_constant(*c, out));
    return ok_status();
  }
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

Status lower_squeeze(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
  (void)dst;
  return ok_status();
}

}  // namespace

void register_squeeze(OpRegistry& r) {
  OpDef def;
  def.op_type = "Squeeze";
  def.first_opset = 1;
  def.infer = infer_squeeze;
  def.lower = lower_squeeze;
  r.add(def);
}

}  // namespace cnnrt
