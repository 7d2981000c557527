// Dropout (ai.onnx 1-28) at inference: the output is the input (no copy, no
// step; any layout), and the optional mask, when something reads it, is all
// ones (true). From opset 12 `ratio` and `training_mode` are inputs; training
// mode with a non-zero ratio drops random elements, which an inference
// runtime does not do: refused. Before opset 7 the `is_test` attribute
// chose the mode; like other runtimes we run those as inference too (the
// models come from exporters that left it unset).
#include <cstring>

#include "ops/common/shape_util.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// Checks ratio and training_mode: only inference (or a ratio of 0) runs.
// Inputs given at run time are checked once their values are known (the
// session folds small inputs into the plan when lowering needs them).
template <class Ctx>
Status check_mode(const Ctx& ctx, bool lowering) {
  float ratio = 0.5f;
  bool ratio_known = true;
  if (ctx.opset() < 12) {
    CNNRT_ASSIGN_OR_RETURN(ratio, ctx.attrs().get_float("ratio", 0.5f));
  } else if (ctx.has_input(1)) {
    const TensorData* r = ctx.input_constant(1);
    ratio_known = r != nullptr;
    if (r && r->count() != 1) return invalid_model("ratio must hold one value, got shape ", dims_str(r->dims));
    if (r) ratio = static_cast<float>(element_as_double(*r, 0));
  }
  if (ratio_known && !(ratio >= 0.0f && ratio <= 1.0f)) return invalid_model("ratio ", ratio, " is not in [0, 1]");
  if (ctx.opset() < 12 || !ctx.has_input(2)) return ok_status();
  const TensorData* t = ctx.input_constant(2);
  if (!t) {
    if (!lowering) return ok_status();
    return unsupported("training_mode must be a constant (only inference is supported)");
  }
  if (t->count() != 1) return invalid_model("training_mode must hold one value, got shape ", dims_str(t->dims));
  if (element_as_int(*t, 0) == 0 || (ratio_known && ratio == 0.0f)) return ok_status();
  if (!ratio_known && !lowering) return ok_status();
  if (!ratio_known)
    return unsupported("training_mode is true and the ratio is only known at run time: dropping random elements "
                       "(training) is not supported, only inference");
  return unsupported("training_mode is true with ratio ", ratio,
                     ": dropping random elements (training) is not supported, only inference");
}

Status infer_dropout(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, ctx.opset() >= 12 ? 3 : 1));
  if (ctx.num_outputs() > 2) return invalid_model("has ", ctx.num_outputs(), " outputs, at most 2 (output, mask)");
  if (ctx.opset() >= 12) {
    for (size_t i = 1; i < 3; ++i)
      if (ctx.has_input(i)) CNNRT_RETURN_IF_ERROR(ctx.expect_rank(i, 0, 1));
    if (ctx.has_input(1)) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::f32, DType::f16, DType::f64, DType::bf16}));
    if (ctx.has_input(2)) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(2, {DType::boolean}));
  }
  CNNRT_RETURN_IF_ERROR(check_mode(ctx, false));
  if (const TensorData* c = ctx.input_constant(0))
    ctx.set_output_constant(0, std::make_shared<TensorData>(*c));
  else
    ctx.set_output(0, ctx.input_dtype(0), ctx.input_shape(0));
  // The mask has the input's type before opset 10, bool after.
  ctx.set_output(1, ctx.opset() >= 10 ? DType::boolean : ctx.input_dtype(0), ctx.input_shape(0));
  return ok_status();
}

Status lower_dropout(LowerContext& ctx) {
  CNNRT_RETURN_IF_ERROR(check_mode(ctx, true));
  CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_alias(0, src));
  (void)dst;
  if (!ctx.has_output(1)) return ok_status();
  CNNRT_ASSIGN_OR_RETURN(TensorPtr one, make_scalar(ctx.output_dtype(1), 1.0));
  CNNRT_ASSIGN_OR_RETURN(auto mask, output_row_major(ctx, 1));
  return add_fill(ctx, ctx.constant_plain(one), mask.first, mask.second);
}

}  // namespace

void register_dropout(OpRegistry& r) {
  OpDef def;
  def.op_type = "Dropout";
  def.first_opset = 1;
  def.infer = infer_dropout;
  def.lower = lower_dropout;
  r.add(def);
}

}  // namespace cnnrt
