// Concat (ai.onnx 1-28): joins its inputs along `axis` (negative from opset
// 11; before opset 4 it may be omitted and means 1). Float-like types run on
// oneDNN's concat, which reads every input in its producer's layout and
// picks the output layout itself (channels-last and blocked inputs stay
// so); types oneDNN has no descriptor for (int64 shape vectors, bool, ...)
// are copied into their slice of the output by plain loops. Empty inputs
// are skipped. Two cases of one image along the channels are copies into
// channel slices instead: members of a concat chain (runtime/concat_chains.h,
// DenseNet's growing Concats sharing one buffer), and inputs held in mixed
// layouts or in 16-channel blocks, which oneDNN's concat copies slowly (see
// channel_slice_concat).
#include <algorithm>
#include <optional>
#include <vector>

#include "ops/common/onednn_steps.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
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

// Copies inputs from `first` on into their channel slices of `buffer` (a
// tensor of `slices`' layout with at least the output's channels).
Status copy_into_channel_slices(LowerContext& ctx, const ChannelSlices& slices, int buffer, size_t first) {
  int64_t channel = 0;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    const Dims& dims = ctx.input_dims(i);
    if (i >= first && dims[1] > 0 && !ctx.input_placed_in_chain(i)) {
      CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc slice_md, slices.layout(dims));
      CNNRT_ASSIGN_OR_RETURN(int slice, ctx.view(buffer, slice_md, ChannelSlices::offset(dims, channel)));
      // The input as float in the layout it is held in (a bf16 or 8-bit
      // copy of a float value converted back), then reordered into place.
      CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc held, ctx.input_md_stored(i));
      held.data.data_type = dnnl_f32;
      CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(i, held));
      CNNRT_RETURN_IF_ERROR(add_reorder(ctx, Operand{src, ctx.tensor(src).md}, Operand{slice, slice_md}));
    }
    channel += dims[1];
  }
  return ok_status();
}

// A member of a concat chain (runtime/concat_chains.h): the inputs its
// parent did not have are copied into their slices of the chain's buffer,
// and the output is the buffer's channel prefix.
Status lower_concat_in_chain(LowerContext& ctx, const ConcatChain& chain) {
  const ChannelSlices slices{chain.blocks_of_16};
  Dims buffer_dims = ctx.output_dims(0);
  buffer_dims[1] = chain.buffer_channels;
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc buffer_md, slices.layout(buffer_dims));
  CNNRT_ASSIGN_OR_RETURN(int buffer, ctx.concat_chain_buffer(buffer_md));
  CNNRT_RETURN_IF_ERROR(copy_into_channel_slices(ctx, slices, buffer, ctx.concat_chain_inputs_in_buffer()));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc prefix_md, slices.layout(ctx.output_dims(0)));
  CNNRT_ASSIGN_OR_RETURN(int prefix, ctx.view(buffer, prefix_md));
  return ctx.output_alias(0, prefix).status();
}

// Whether two layouts of tensors that differ in their channel count are the
// same format: the same inner blocks and the dims in the same stride order.
bool same_format(const dnnl::memory::desc& a, const dnnl::memory::desc& b) {
  const dnnl_blocking_desc_t &x = a.data.format_desc.blocking, &y = b.data.format_desc.blocking;
  if (a.data.format_kind != dnnl_blocked || b.data.format_kind != dnnl_blocked || a.data.ndims != b.data.ndims ||
      x.inner_nblks != y.inner_nblks)
    return false;
  for (int k = 0; k < x.inner_nblks; ++k)
    if (x.inner_blks[k] != y.inner_blks[k] || x.inner_idxs[k] != y.inner_idxs[k]) return false;
  auto order = [](const dnnl_memory_desc_t& d) {
    std::vector<int> dims(static_cast<size_t>(d.ndims));
    for (int k = 0; k < d.ndims; ++k) dims[static_cast<size_t>(k)] = k;
    // Unit dims may carry any stride: they do not decide the format.
    std::stable_sort(dims.begin(), dims.end(), [&](int i, int j) {
      return d.format_desc.blocking.strides[i] > d.format_desc.blocking.strides[j];
    });
    std::vector<int> kept;
    for (int k : dims)
      if (d.dims[k] != 1) kept.push_back(k);
    return kept;
  };
  return order(a.data) == order(b.data);
}

// How a one-image float Concat along axis 1 is better done by copying each
// input (re-laid out if need be) into its channel slice of the output than
// by oneDNN's concat, or null. oneDNN's concat copies all-blocked inputs
// slowly (its `simple` kernel: SqueezeNet 1.0's [1,128,54,54] from two
// [1,64,54,54], 0.57 ms against 0.05 for the copies) and runs its reference
// kernel when the layouts are mixed, as they are where Winograd or blocked
// 1x1 convs meet channels-last ones (Inception V3's 11 Concats: 1.40 ->
// 0.89 ms; SqueezeNet 1.0's 0.65 -> 0.55 ms) or where a row-major slice
// meets a conv output (ShuffleNet V2's 13: 0.31 -> 0.22 ms). The output is
// in 16-channel blocks when every input is whole blocks and some are held
// so, else row-major (where one image's channel slice is dense too).
Result<std::optional<ChannelSlices>> channel_slice_concat(LowerContext& ctx, int64_t axis) {
  using Choice = std::optional<ChannelSlices>;
  const Dims& out = ctx.output_dims(0);
  if (axis != 1 || out.size() < 2 || out[0] != 1 || ctx.output_dtype(0) != DType::f32) return Choice();
  size_t blocked_inputs = 0, inputs = 0;
  bool whole_blocks = out.size() == 4, mixed = false;
  dnnl::memory::desc first;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    const Dims& dims = ctx.input_dims(i);
    if (dims[1] == 0) continue;
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc held, ctx.input_md(i));
    if (inputs++ == 0) first = held;
    mixed = mixed || !same_format(held, first);
    whole_blocks = whole_blocks && dims[1] % 16 == 0;
    if (whole_blocks) {
      CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc blocked, ChannelSlices{true}.layout(dims));
      if (held == blocked) ++blocked_inputs;
    }
  }
  if (inputs < 2) return Choice();
  if (whole_blocks && blocked_inputs > 0) return Choice(ChannelSlices{true});
  if (mixed) return Choice(ChannelSlices{false});
  return Choice();
}

Status lower_concat(LowerContext& ctx) {
  if (const ConcatChain* chain = ctx.concat_chain()) return lower_concat_in_chain(ctx, *chain);
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
  CNNRT_ASSIGN_OR_RETURN(std::optional<ChannelSlices> slices, channel_slice_concat(ctx, axis));
  if (slices) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc out_md, slices->layout(out_dims));
    CNNRT_ASSIGN_OR_RETURN(int out, ctx.output(0, out_md));
    return copy_into_channel_slices(ctx, *slices, out, 0);
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
