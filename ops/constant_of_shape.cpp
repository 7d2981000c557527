// ConstantOfShape (ai.onnx 9-28): a tensor of the shape given by its int64
// input, every element `value` (a one-element tensor attribute; float 0 by
// default). Filled by a oneDNN reorder from a broadcast view of the value,
// or a plain loop for types oneDNN lacks; with a constant shape it folds.
#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<TensorPtr> fill_value(const Attributes& attrs) {
  if (!attrs.has("value")) return make_scalar(DType::f32, 0.0);
  CNNRT_ASSIGN_OR_RETURN(TensorPtr v, attrs.get_tensor("value"));
  if (v->count() != 1) return invalid_model("value must hold one element, got shape ", dims_str(v->dims));
  return relabel_constant(*v, {1});
}

Status infer_constant_of_shape(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::i64}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, 1));
  CNNRT_ASSIGN_OR_RETURN(TensorPtr value, fill_value(ctx.attrs()));
  const TensorData* shape = ctx.input_constant(0);
  if (!shape) {
    // The shape arrives at run time; its length is the rank.
    const int64_t rank = ctx.input_shape(0)[0];
    if (rank < 0)
      ctx.set_output_unknown_rank(0, value->dtype);
    else
      ctx.set_output(0, value->dtype, Dims(static_cast<size_t>(rank), kUnknownDim));
    return ok_status();
  }
  const Dims dims = tensor_ints(*shape);
  for (int64_t d : dims)
    if (d < 0) return invalid_model("shape ", ints_str(dims), " has a negative dim");
  CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(dims, value->dtype, "ConstantOfShape output"));
  (void)bytes;
  ctx.set_output(0, value->dtype, dims);
  return ok_status();
}

Status lower_constant_of_shape(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(TensorPtr value, fill_value(ctx.attrs()));
  CNNRT_ASSIGN_OR_RETURN(auto out, output_row_major(ctx, 0));
  return add_fill(ctx, ctx.constant_plain(value), out.first, out.second);
}

}  // namespace

void register_constant_of_shape(OpRegistry& r) {
  OpDef def;
  def.op_type = "ConstantOfShape";
  def.first_opset = 9;
  def.infer = infer_constant_of_shape;
  def.lower = lower_constant_of_shape;
  r.add(def);
}

}  // namespace cnnrt
