// Tile (ai.onnx 1-28): repeats the input repeats[k] times along each dim k.
// From opset 6 `repeats` is an int64 input with one entry per dim; before,
// the inputs are `tiles` (a count) and `axis` (where). One copy from a view
// of the input with a repeat dim of stride 0 in front of each dim: a oneDNN
// reorder, or a plain loop for types oneDNN lacks (or more than six tiled
// dims, beyond oneDNN's rank limit).
#include <algorithm>
#include <limits>

#include "ops/common/int_list.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// The repeat count per dim; false in *known while an input is not constant.
template <class Ctx>
Result<std::vector<int64_t>> read_repeats(const Ctx& ctx, int64_t rank, bool* known) {
  *known = true;
  if (ctx.opset() >= 6) {
    const TensorData* r = ctx.input_constant(1);
    if (!r) {
      *known = false;
      return std::vector<int64_t>();
    }
    CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> reps, int_list_input(*r, "repeats"));
    if (static_cast<int64_t>(reps.size()) != rank)
      return invalid_model("repeats ", ints_str(reps), " has length ", reps.size(), ", the input has rank ", rank);
    for (int64_t v : reps)
      if (v < 0) return invalid_model("repeats ", ints_str(reps), " has a negative count");
    return reps;
  }
  const TensorData *tiles = ctx.input_constant(1), *axis = ctx.input_constant(2);
  if (!tiles || !axis) {
    *known = false;
    return std::vector<int64_t>();
  }
  if (tiles->count() != 1 || axis->count() != 1) return invalid_model("tiles and axis must be scalars");
  const int64_t t = element_as_int(*tiles, 0);
  if (t < 0) return invalid_model("tiles ", t, " is negative");
  CNNRT_ASSIGN_OR_RETURN(int64_t a, normalize_axis(element_as_int(*axis, 0), rank, "axis"));
  std::vector<int64_t> reps(static_cast<size_t>(rank), 1);
  reps[a] = t;
  return reps;
}

Status infer_tile(InferContext& ctx) {
  if (ctx.opset() >= 6) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
    CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 1, 1));
  } else {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(3, 3));
  }
  const Dims& x = ctx.input_shape(0);
  bool known = true;
  CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> reps, read_repeats(ctx, static_cast<int64_t>(x.size()), &known));
  Dims out(x.size(), kUnknownDim);
  if (known)
    for (size_t k = 0; k < x.size(); ++k) {
      if (x[k] < 0) continue;
      if (reps[k] != 0 && x[k] > std::numeric_limits<int64_t>::max() / reps[k])
        return invalid_model("tiling ", dims_str(x), " by ", ints_str(reps), " overflows");
      out[k] = x[k] * reps[k];
    }
  if (known && x.size() > 0) {
    CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(out, ctx.input_dtype(0), "Tile output"));
    (void)bytes;
  }
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

Status lower_tile(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  bool known = true;
  CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> reps, read_repeats(ctx, static_cast<int64_t>(x.size()), &known));
  if (!known) return unsupported("repeats must be a constant or computable from the input shapes");
  if (std::all_of(reps.begin(), reps.end(), [](int64_t r) { return r == 1; })) {  // the output is the input
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
    return ctx.output_alias(0, src).status();
  }
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(auto out, output_row_major(ctx, 0));
  // [r0, d0, r1, d1, ...]: the output row-major, the input repeated.
  StridedView src, dst;
  for (size_t k = 0; k < x.size(); ++k) {
    src.dims.insert(src.dims.end(), {reps[k], x[k]});
    src.strides.insert(src.strides.end(), {0, in.second.strides[k]});
    dst.strides.insert(dst.strides.end(), {x[k] * out.second.strides[k], out.second.strides[k]});
  }
  if (x.empty()) {  // a scalar is itself
    src = in.second;
    dst = out.second;
  }
  dst.dims = src.dims;
  return add_copy(ctx, in.first, src, out.first, dst);
}

}  // namespace

void register_tile(OpRegistry& r) {
  OpDef def;
  def.op_type = "Tile";
  def.first_opset = 1;
  def.infer = infer_tile;
  def.lower = lower_tile;
  r.add(def);
}

}  // namespace cnnrt
