// Split (ai.onnx 1-28): cuts the input along `axis` into consecutive parts.
// The sizes come from the `split` attribute (before opset 13; opset 1 also
// takes it as a second input), the optional `split` input (from 13), or are
// equal parts: as many as there are outputs, or `num_outputs` from opset 18
// where the last part may be smaller. Each part is one copy from a sub-view
// of the input (a oneDNN reorder that keeps a channels-last producer's
// layout, or a plain loop for types oneDNN lacks); unused outputs cost
// nothing.
#include <limits>

#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

template <class Ctx>
Result<int64_t> split_axis(const Ctx& ctx, int64_t rank) {
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, ctx.attrs().get_int("axis", 0));
  // Negative axes are documented from opset 11, but older exporters (PyTorch
  // at opset 6) wrote them and they have one meaning: accepted everywhere.
  return normalize_axis(axis, rank, "axis");
}

// The part sizes for an axis of size d (-1: unknown); empty in *sizes with
// *known false when the split input is not a constant yet.
template <class Ctx>
Status split_sizes(const Ctx& ctx, int64_t d, std::vector<int64_t>* sizes, bool* known) {
  const int64_t parts = static_cast<int64_t>(ctx.num_outputs());
  *known = true;
  bool given = false;
  if (ctx.opset() < 13 && ctx.attrs().has("split")) {
    CNNRT_ASSIGN_OR_RETURN(*sizes, ctx.attrs().get_ints("split", {}));
    given = true;
  } else if ((ctx.opset() == 1 || ctx.opset() >= 13) && ctx.has_input(1)) {
    const TensorData* c = ctx.input_constant(1);
    if (!c) {
      *known = false;
      return ok_status();
    }
    CNNRT_ASSIGN_OR_RETURN(*sizes, int_list_input(*c, "split"));
    given = true;
  }
  if (given) {
    if (ctx.opset() >= 18 && ctx.attrs().has("num_outputs"))
      return invalid_model("give either the split input or num_outputs, not both");
    if (static_cast<int64_t>(sizes->size()) != parts)
      return invalid_model("split ", ints_str(*sizes), " has ", sizes->size(), " sizes for ", parts, " outputs");
    int64_t sum = 0;
    for (int64_t s : *sizes) {
      if (s < 0) return invalid_model("split ", ints_str(*sizes), " has a negative size");
      if (s > std::numeric_limits<int64_t>::max() - sum)
        return invalid_model("split ", ints_str(*sizes), " adds up to more than any axis can hold");
      sum += s;
    }
    if (d >= 0 && sum != d)
      return invalid_model("split ", ints_str(*sizes), " adds up to ", sum, ", the axis has size ", d);
    return ok_status();
  }
  sizes->clear();
  if (ctx.opset() >= 18 && ctx.attrs().has("num_outputs")) {
    CNNRT_ASSIGN_OR_RETURN(int64_t n, ctx.attrs().get_int("num_outputs", 0));
    if (n != parts) return invalid_model("num_outputs is ", n, " but the node has ", parts, " outputs");
    if (d < 0) return ok_status();
    // Equal parts of ceil(d / n); the last ones take what is left.
    const int64_t chunk = (d + n - 1) / n;
    int64_t left = d;
    for (int64_t k = 0; k < n; ++k) {
      sizes->push_back(std::min(chunk, left));
      left -= sizes->back();
    }
    return ok_status();
  }
  if (d < 0) return ok_status();
  if (d % parts != 0) return invalid_model("cannot split an axis of size ", d, " into ", parts, " equal parts");
  sizes->assign(static_cast<size_t>(parts), d / parts);
  return ok_status();
}

Status infer_split(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, ctx.opset() == 1 || ctx.opset() >= 13 ? 2 : 1));
  if (ctx.num_outputs() == 0) return invalid_model("has no outputs");
  if (ctx.has_input(1)) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
    CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 1, 1));
  }
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, split_axis(ctx, static_cast<int64_t>(x.size())));
  std::vector<int64_t> sizes;
  bool known = true;
  CNNRT_RETURN_IF_ERROR(split_sizes(ctx, x[axis], &sizes, &known));
  for (size_t k = 0; k < ctx.num_outputs(); ++k) {
    Dims out = x;
    out[axis] = sizes.empty() ? kUnknownDim : sizes[k];
    ctx.set_output(k, ctx.input_dtype(0), out);
  }
  return ok_status();
}

Status lower_split(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, split_axis(ctx, static_cast<int64_t>(x.size())));
  std::vector<int64_t> sizes;
  bool known = true;
  CNNRT_RETURN_IF_ERROR(split_sizes(ctx, x[axis], &sizes, &known));
  if (!known) return unsupported("the split sizes must be a constant or computable from the input shapes");
  if (ctx.num_outputs() == 1) {  // one part: the output is the input
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
    return ctx.output_alias(0, src).status();
  }
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  int64_t at = 0;
  for (size_t k = 0; k < ctx.num_outputs(); ++k) {
    const int64_t size = sizes[k];
    if (ctx.has_output(k)) {
      StridedView src = in.second;
      src.dims[axis] = size;
      src.offset += at * src.strides[axis];
      CNNRT_ASSIGN_OR_RETURN(auto out, output_like(ctx, k, ctx.tensor(in.first)));
      CNNRT_RETURN_IF_ERROR(add_copy(ctx, in.first, src, out.first, out.second));
    }
    at += size;
  }
  return ok_status();
}

}  // namespace

void register_split(OpRegistry& r) {
  OpDef def;
  def.op_type = "Split";
  def.first_opset = 1;
  def.infer = infer_split;
  def.lower = lower_split;
  r.add(def);
}

}  // namespace cnnrt
