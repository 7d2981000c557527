// Transpose (ai.onnx 1-28): output dim k is input dim perm[k] (default: the
// dims reversed). One copy through a view of the input with permuted
// strides: a oneDNN reorder for types it holds (reading the producer's
// layout directly when it has no inner blocks), a plain loop otherwise. When
// the permuted view already is row-major (only size-1 dims move, or a
// channels-last producer transposed to NHWC) the output is that view: no
// copy.
#include <numeric>

#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<std::vector<int64_t>> read_perm(const Attributes& attrs, int64_t rank) {
  std::vector<int64_t> rev(static_cast<size_t>(rank));
  std::iota(rev.rbegin(), rev.rend(), 0);
  if (!attrs.has("perm")) return rev;
  CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> perm, attrs.get_ints("perm", {}));
  if (static_cast<int64_t>(perm.size()) != rank)
    return invalid_model("perm ", ints_str(perm), " has ", perm.size(), " entries for an input of rank ", rank);
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p]) return invalid_model("perm ", ints_str(perm), " is not a permutation of 0..", rank - 1);
    seen[p] = true;
  }
  return perm;
}

Status infer_transpose(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> perm, read_perm(ctx.attrs(), static_cast<int64_t>(x.size())));
  Dims out(x.size());
  for (size_t k = 0; k < x.size(); ++k) out[k] = x[perm[k]];
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

Status lower_transpose(LowerContext& ctx) {
  const int64_t rank = static_cast<int64_t>(ctx.input_dims(0).size());
  CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> perm, read_perm(ctx.attrs(), rank));
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  StridedView src = in.second;
  if (rank > 0) {
    src.dims = ctx.output_dims(0);
    for (int64_t k = 0; k < rank; ++k) src.strides[k] = in.second.strides[perm[k]];
  }
  dnnl::memory::data_type type;
  if (is_row_major(src) && to_dnnl_type(ctx.input_dtype(0), &type) && rank <= DNNL_MAX_NDIMS) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(ctx.input_dtype(0), ctx.output_dims(0)));
    CNNRT_ASSIGN_OR_RETURN(int same, ctx.view(in.first, md));
    return ctx.output_view(0, same).status();
  }
  if (is_row_major(src) && !ctx.tensor(in.first).has_md) return ctx.output_view(0, in.first).status();
  CNNRT_ASSIGN_OR_RETURN(auto out, output_row_major(ctx, 0));
  return add_copy(ctx, in.first, src, out.first, out.second);
}

}  // namespace

void register_transpose(OpRegistry& r) {
  OpDef def;
  def.op_type = "Transpose";
  def.first_opset = 1;
  def.infer = infer_transpose;
  def.lower = lower_transpose;
  r.add(def);
}

}  // namespace cnnrt
