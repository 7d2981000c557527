// Flatten (ai.onnx 1-28): [d0..dn] -> [d0*..*d(axis-1), d(axis)*..*dn]. A
// view of the row-major input: no copy and no step.
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_flatten(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  const Dims& x = ctx.input_shape(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, ctx.attrs().get_int("axis", 1));
  // Negative axes are documented from opset 11; earlier models that use one
  // mean the same thing, so they are accepted at every opset.
  if (axis < -rank || axis > rank) return invalid_model("axis ", axis, " is out of range for rank ", rank);
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t& part = i < axis ? outer : inner;
    if (x[i] < 0 || part < 0)
      part = kUnknownDim;
    else
      part *= x[i];
  }
  ctx.set_output(0, ctx.input_dtype(0), {outer, inner});
  return ok_status();
}

Status lower_flatten(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
  (void)dst;
  return ok_status();
}

}  // namespace

void register_flatten(OpRegistry& r) {
  OpDef def;
  def.op_type = "Flatten";
  def.first_opset = 1;
  def.infer = infer_flatten;
  def.lower = lower_flatten;
  r.add(def);
}

}  // namespace cnnrt
