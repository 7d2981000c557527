// Gather (ai.onnx 1-28): picks entries along `axis` of data by int32/int64
// indices of any shape (negative counts from the back); the output is
// data.shape[:axis] + indices.shape + data.shape[axis+1:]. oneDNN has no
// gather primitive, so this is a plain loop copying contiguous rows (whole
// inner blocks at a time). With constant inputs (Shape -> Gather chains) it
// folds at load or plan time. Indices out of range fail the run with the
// offending index.
#include <cstring>

#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_gather(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64, DType::i32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, 64));
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(int64_t a, ctx.attrs().get_int("axis", 0));
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(a, static_cast<int64_t>(x.size()), "axis"));
  Dims out(x.begin(), x.begin() + axis);
  const Dims& idx = ctx.input_shape(1);
  out.insert(out.end(), idx.begin(), idx.end());
  out.insert(out.end(), x.begin() + axis + 1, x.end());
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

template <class I>
Status gather_rows(const uint8_t* data, const I* idx, uint8_t* out, int64_t outer, int64_t axis_dim, int64_t n_idx,
                   size_t row_bytes) {
  for (int64_t j = 0; j < n_idx; ++j)
    if (idx[j] < -axis_dim || idx[j] >= axis_dim)
      return invalid_argument("index ", static_cast<int64_t>(idx[j]), " (position ", j,
                              " of the indices) is out of range for an axis of size ", axis_dim);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < n_idx; ++j) {
      const int64_t k = idx[j] < 0 ? idx[j] + axis_dim : idx[j];
      std::memcpy(out + (o * n_idx + j) * row_bytes, data + (o * axis_dim + k) * row_bytes, row_bytes);
    }
  return ok_status();
}

Status lower_gather(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(int64_t a, ctx.attrs().get_int("axis", 0));
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(a, static_cast<int64_t>(x.size()), "axis"));
  int64_t outer = 1, inner = 1;
  for (int64_t k = 0; k < axis; ++k) outer *= x[k];
  for (size_t k = axis + 1; k < x.size(); ++k) inner *= x[k];
  const int64_t axis_dim = x[axis];
  const int64_t n_idx = numel(ctx.input_dims(1));
  const size_t row_bytes = static_cast<size_t>(inner) * dtype_size(ctx.input_dtype(0));
  const bool wide = ctx.input_dtype(1) == DType::i64;
  CNNRT_ASSIGN_OR_RETURN(int data, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int indices, ctx.input_plain(1));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (numel(ctx.output_dims(0)) == 0) return ok_status();
  ctx.add_kernel("gather", [=](const KernelIO& io) {
    const auto* d = static_cast<const uint8_t*>(io.in[0]);
    auto* o = static_cast<uint8_t*>(io.out[0]);
    if (wide) return gather_rows(d, static_cast<const int64_t*>(io.in[1]), o, outer, axis_dim, n_idx, row_bytes);
    return gather_rows(d, static_cast<const int32_t*>(io.in[1]), o, outer, axis_dim, n_idx, row_bytes);
  }, {data, indices}, {out});
  return ok_status();
}

}  // namespace

void register_gather(OpRegistry& r) {
  OpDef def;
  def.op_type = "Gather";
  def.first_opset = 1;
  def.infer = infer_gather;
  def.lower = lower_gather;
  r.add(def);
}

}  // namespace cnnrt
