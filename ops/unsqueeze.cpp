// Unsqueeze (ai.onnx 1-28): inserts dims of size 1 at `axes` (positions in
// the output), as a view of the row-major input (no copy, no step). Axes
// are an attribute before opset 13 (negative from 11) and a required int64
// input from 13.
#include <algorithm>

#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_unsqueeze(InferContext& ctx) {
  const Dims& x = ctx.input_shape(0);
  std::vector<int64_t> axes;
  if (ctx.opset() < 13) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
    if (!ctx.attrs().has("axes")) return invalid_model("attribute 'axes' is required");
    CNNRT_ASSIGN_OR_RETURN(axes, ctx.attrs().get_ints("axes", {}));
    if (ctx.opset() < 11)
      for (int64_t a : axes)
        if (a < 0) return invalid_model("negative axis ", a, " needs opset 11 or later");
  } else {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
    CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 0, 1));
    const TensorData* c = ctx.input_constant(1);
    if (!c) {
      const int64_t n = ctx.input_shape(1).empty() ? 1 : ctx.input_shape(1)[0];
      if (n < 0)
        ctx.set_output_unknown_rank(0, ctx.input_dtype(0));
      else
        ctx.set_output(0, ctx.input_dtype(0), Dims(x.size() + static_cast<size_t>(n), kUnknownDim));
      return ok_status();
    }
    axes = tensor_ints(*c);
  }
  const int64_t out_rank = static_cast<int64_t>(x.size() + axes.size());
  CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> norm, normalize_axes(axes, out_rank, "axes"));
  Dims out;
  size_t next = 0;
  for (int64_t k = 0; k < out_rank; ++k)
    out.push_back(std::find(norm.begin(), norm.end(), k) != norm.end() ? 1 : x[next++]);
  if (const TensorData* c = ctx.input_constant(0)) {
    ctx.set_output_constant(0, relabel_constant(*c, out));
    return ok_status();
  }
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

Status lower_unsqueeze(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
  (void)dst;
  return ok_status();
}

}  // namespace

void register_unsqueeze(OpRegistry& r) {
  OpDef def;
  def.op_type = "Unsqueeze";
  def.first_opset = 1;
  def.infer = infer_unsqueeze;
  def.lower = lower_unsqueeze;
  r.add(def);
}

}  // namespace cnnrt
