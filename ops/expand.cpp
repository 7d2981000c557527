// Expand (ai.onnx 8-28): broadcasts the input to `shape` by numpy rules
// (the result has the larger rank; a dim of 1 on either side takes the
// other's size). One copy from a view of the input with zero strides on
// the broadcast dims: a oneDNN reorder, or a plain loop for types oneDNN
// lacks.
#include <algorithm>

#include "ops/common/int_list.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<Dims> expand_dims(const Dims& x, const std::vector<int64_t>& shape) {
  const size_t rank = std::max(x.size(), shape.size());
  Dims out(rank);
  for (size_t k = 0; k < rank; ++k) {
    const size_t from_end = rank - 1 - k;
    const int64_t a = from_end < x.size() ? x[x.size() - 1 - from_end] : 1;
    const int64_t b = from_end < shape.size() ? shape[shape.size() - 1 - from_end] : 1;
    if (b < 0) return invalid_model("shape ", ints_str(shape), " has a negative dim");
    if (a < 0) {
      out[k] = b == 1 ? kUnknownDim : b;  // the input dim must be 1 or b: checked once known
    } else if (a == b || b == 1) {
      out[k] = a;
    } else if (a == 1) {
      out[k] = b;
    } else {
      return invalid_model("cannot expand ", dims_str(x), " to shape ", ints_str(shape), ": dim ", a, " vs ", b);
    }
  }
  return out;
}

Status infer_expand(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 1, 1));
  const Dims& x = ctx.input_shape(0);
  const TensorData* shape = ctx.input_constant(1);
  if (!shape) {
    // The shape arrives at run time: only the rank may be known.
    const int64_t n = ctx.input_shape(1)[0];
    if (n < 0)
      ctx.set_output_unknown_rank(0, ctx.input_dtype(0));
    else
      ctx.set_output(0, ctx.input_dtype(0), Dims(std::max<size_t>(x.size(), static_cast<size_t>(n)), kUnknownDim));
    return ok_status();
  }
  CNNRT_ASSIGN_OR_RETURN(Dims out, expand_dims(x, tensor_ints(*shape)));
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

Status lower_expand(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  const Dims& y = ctx.output_dims(0);
  if (x == y) {  // nothing to broadcast: the output is the input
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
    return ctx.output_alias(0, src).status();
  }
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  StridedView src;
  src.dims = y.empty() ? Dims{1} : y;
  src.strides.assign(src.dims.size(), 0);
  const size_t lead = y.size() - x.size();
  for (size_t k = 0; k < x.size(); ++k)
    if (x[k] == y[lead + k]) src.strides[lead + k] = in.second.strides[k];  // else x[k] == 1: repeat it
  CNNRT_ASSIGN_OR_RETURN(auto out, output_row_major(ctx, 0));
  return add_copy(ctx, in.first, src, out.first, out.second);
}

}  // namespace

void register_expand(OpRegistry& r) {
  OpDef def;
  def.op_type = "Expand";
  def.first_opset = 8;
  def.infer = infer_expand;
  def.lower = lower_expand;
  r.add(def);
}

}  // namespace cnnrt
