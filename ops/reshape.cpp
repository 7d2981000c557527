// Reshape (ai.onnx 1-28): the same elements under a new shape, as a view of
// the row-major input (no copy, no step). The shape is an attribute before
// opset 5 and an int64 input after; an entry of 0 copies the input's dim
// (or, with allowzero = 1 from opset 14, means a zero dim) and one entry of
// -1 takes whatever count is left.
#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

std::string shape_str(const std::vector<int64_t>& s) { return ints_str(s); }

// The output dims for input dims x (-1 where unknown) and the requested
// shape; unknown where x's unknown dims leave them open.
Result<Dims> reshape_dims(const Dims& x, const std::vector<int64_t>& shape, bool allowzero) {
  int infer_at = -1;
  bool has_zero = false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer_at >= 0) return invalid_model("at most one -1 in shape ", shape_str(shape));
      infer_at = static_cast<int>(i);
    } else if (shape[i] < -1) {
      return invalid_model("shape ", shape_str(shape), " has invalid entry ", shape[i]);
    } else if (shape[i] == 0) {
      has_zero = true;
    }
  }
  if (allowzero && has_zero && infer_at >= 0)
    return invalid_model("shape ", shape_str(shape), " has both 0 and -1, which allowzero = 1 does not allow");
  Dims out(shape.begin(), shape.end());
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] != 0 || allowzero) continue;
    if (i >= x.size())
      return invalid_model("shape ", shape_str(shape), " copies dim ", i, " (entry 0) but the input ", dims_str(x),
                           " has rank ", x.size());
    out[i] = x[i];
  }
  if (!dims_known(x)) {
    if (infer_at >= 0) out[infer_at] = kUnknownDim;
    return out;
  }
  CNNRT_ASSIGN_OR_RETURN(int64_t total, checked_numel(x, "Reshape input"));
  Dims rest;
  for (size_t i = 0; i < out.size(); ++i)
    if (static_cast<int>(i) != infer_at) rest.push_back(out[i]);
  auto product = checked_numel(rest, "Reshape output");
  if (!product.ok())
    return invalid_model("cannot reshape ", dims_str(x), " (", total, " elements) to ", shape_str(shape),
                         ": the element count overflows");
  const int64_t known = product.value();
  if (infer_at >= 0) {
    if (known == 0)
      return invalid_model("cannot infer the -1 in shape ", shape_str(shape), " for input ", dims_str(x),
                           ": the other dims multiply to 0");
    if (total % known != 0)
      return invalid_model("cannot reshape ", dims_str(x), " (", total, " elements) to ", shape_str(shape),
                           ": ", total, " is not a multiple of ", known);
    out[infer_at] = total / known;
    return out;
  }
  if (known != total)
    return invalid_model("cannot reshape ", dims_str(x), " (", total, " elements) to ", dims_str(out), " (", known,
                         " elements)");
  return out;
}

Status infer_reshape(InferContext& ctx) {
  std::vector<int64_t> shape;
  bool allowzero = false;
  if (ctx.opset() < 5) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
    if (!ctx.attrs().has("shape")) return invalid_model("attribute 'shape' is required");
    CNNRT_ASSIGN_OR_RETURN(shape, ctx.attrs().get_ints("shape", {}));
  } else {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
    CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 1, 1));
    if (ctx.opset() >= 14) {
      CNNRT_ASSIGN_OR_RETURN(int64_t a, ctx.attrs().get_int("allowzero", 0));
      allowzero = a != 0;
    }
    const TensorData* c = ctx.input_constant(1);
    if (!c) {
      // The rank is the shape input's length; the dims come with its values.
      const int64_t rank = ctx.input_shape(1)[0];
      if (rank < 0)
        ctx.set_output_unknown_rank(0, ctx.input_dtype(0));
      else
        ctx.set_output(0, ctx.input_dtype(0), Dims(static_cast<size_t>(rank), kUnknownDim));
      return ok_status();
    }
    shape = tensor_ints(*c);
  }
  CNNRT_ASSIGN_OR_RETURN(Dims out, reshape_dims(ctx.input_shape(0), shape, allowzero));
  if (const TensorData* x = ctx.input_constant(0)) {
    ctx.set_output_constant(0, relabel_constant(*x, out));
    return ok_status();
  }
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

Status lower_reshape(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
  (void)dst;
  return ok_status();
}

}  // namespace

void register_reshape(OpRegistry& r) {
  OpDef def;
  def.op_type = "Reshape";
  def.first_opset = 1;
  def.infer = infer_reshape;
  def.lower = lower_reshape;
  r.add(def);
}

}  // namespace cnnrt
