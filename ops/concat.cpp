// Concat (ai.onnx 1-28): joins its inputs along `axis` (negative from opset
// 11; before opset 4 it may be omitted and means 1). Float-like types run on
// oneDNN's concat, which reads every input in its producer's layout and
// picks the output layout itself (channels-last and blocked inputs stay
// so); types oneDNN has no descriptor for (int64 shape vectors, bool, ...)
// are copied into their slice of the output by plain loops. Empty inputs
// are skipped.
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<int64_t> concat_axis(const Attributes& attrs, int opset, int64_t rank) {
  if (opset >= 4 && !attrs.has("axis")) return invalid_model("attribute 'axis' is required");
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, attrs.get_int("axis", 1));
  if (axis < 0 && opset < 11) return invalid_model("negative axis ", axis, " needs opset 11 or later");
  return normalize_axis(axis, rank, "axis");
}

Status infer_concat(InferContext& ctx) {
  if (ctx.num_inputs() == 0) return invalid_model("expects at least 1 input");
  for (size_t i = 0; i < ctx.num_inputs(); ++i)
    if (!ctx.has_input(i)) return invalid_model("input ", i, " is missing");
  const DType dtype = ctx.input_dtype(0);
  Dims out = ctx.input_shape(0);
  const int64_t rank = static_cast<int64_t>(out.size());
  if (rank == 0) return invalid_model("cannot concatenate scalars (input 0 has rank 0)");
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, concat_axis(ctx.attrs(), ctx.opset(), rank));
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    if (ctx.input_dtype(i) != dtype)
      return invalid_model("input ", i, " has element type ", dtype_name(ctx.input_dtype(i)), ", input 0 has ",
                           dtype_name(dtype));
    const Dims& d = ctx.input_shape(i);
    if (static_cast<int64_t>(d.size()) != rank)
      return invalid_model("input ", i, " ", dims_str(d), " has rank ", d.size(), ", input 0 ", dims_str(ctx.input_shape(0)),
                           " has rank ", rank);
    for (int64_t k = 0; k < rank; ++k) {
      if (k == axis) {
        out[k] = (out[k] < 0 || d[k] < 0) ? kUnknownDim : out[k] + d[k];
        continue;
      }
      if (out[k] >= 0 && d[k] >= 0 && out[k] != d[k])
        return invalid_model("input ", i, " ", dims_str(d), " differs from ", dims_str(ctx.input_shape(0)), " in dim ", k,
                             ", which is not the concatenation axis ", axis);
      if (out[k] < 0) out[k] = d[k];
    }
  }
  ctx.set_output(0, dtype, out);
  return ok_status();
}

// oneDNN's concat over every non-empty input in its own layout.
Status lower_concat_dnnl(LowerContext& ctx, int64_t axis, dnnl::memory::data_type type, const std::vector<size_t>& used) {
  std::vector<dnnl::memory::desc> srcs;
  std::vector<std::pair<int, int>> args;
  for (size_t i : used) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, ctx.input_md(i));
    srcs.push_back(md);
  }
  const dnnl::memory::desc dst_any(ctx.output_dims(0), type, dnnl::memory::format_tag::any);
  dnnl::concat::primitive_desc pd(dst_any, static_cast<int>(axis), srcs, ctx.engine(), ctx.make_attr());
  for (size_t k = 0; k < used.size(); ++k) {
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input(used[k], pd.src_desc(static_cast<int>(k))));
    args.push_back({DNNL_ARG_MULTIPLE_SRC + static_cast<int>(k), t});
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  args.push_back({DNNL_ARG_DST, dst});
  args.push_back({DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())});
  ctx.add_primitive(dnnl::concat(pd), pd, std::move(args));
  return ok_status();
}

Status lower_concat(LowerContext& ctx) {
  const Dims& out_dims = ctx.output_dims(0);
  const int64_t rank = static_cast<int64_t>(out_dims.size());
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, concat_axis(ctx.attrs(), ctx.opset(), rank));
  std::vector<size_t> used;
  for (size_t i = 0; i < ctx.num_inputs(); ++i)
    if (numel(ctx.input_dims(i)) > 0) used.push_back(i);

  if (used.size() == 1 && ctx.input_dims(used[0]) == out_dims) {  // one non-empty input: the output is it
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, used[0]));
    return ctx.output_alias(0, src).status();
  }
  dnnl::memory::data_type type;
  if (!used.empty() && to_dnnl_type(ctx.output_dtype(0), &type) && rank <= DNNL_MAX_NDIMS)
    return lower_concat_dnnl(ctx, axis, type, used);

  CNNRT_ASSIGN_OR_RETURN(auto out, output_row_major(ctx, 0));
  int64_t at = 0;
  for (size_t i : used) {
    CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, i));
    StridedView dst = out.second;
    dst.dims = in.second.dims;
    dst.offset = at * dst.strides[axis];
    CNNRT_RETURN_IF_ERROR(add_copy(ctx, in.first, in.second, out.first, dst));
    at += in.second.dims[axis];
  }
  return ok_status();
}

}  // namespace

void register_concat(OpRegistry& r) {
  OpDef def;
  def.op_type = "Concat";
  def.first_opset = 1;
  def.infer = infer_concat;
  def.lower = lower_concat;
  r.add(def);
}

}  // namespace cnnrt
