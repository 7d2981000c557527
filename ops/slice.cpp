// Slice (ai.onnx 1-28): elements start, start + step, ... (up to end,
// exclusive) along each listed axis. Before opset 10 starts/ends/axes are
// attributes (step 1); from 10 they are inputs, with optional steps that
// may be negative (walking backwards). Out-of-range starts and ends clamp
// as ONNX specifies. One copy from a strided view of the input: a oneDNN
// reorder (reading a channels-last producer directly and keeping its
// layout), or a plain loop for negative steps and types oneDNN lacks.
#include <algorithm>
#include <limits>

#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

struct SliceArgs {
  std::vector<int64_t> starts, ends, axes, steps;
};

// Per dim of the input: first index, step and output size.
struct SlicePlan {
  Dims start, step, out;
};

// Reads the arguments from attributes (before opset 10) or constant inputs;
// false in *known when an input is not a constant yet.
template <class Ctx>
Result<SliceArgs> read_slice_args(const Ctx& ctx, bool* known) {
  SliceArgs a;
  *known = true;
  if (ctx.opset() < 10) {
    if (!ctx.attrs().has("starts") || !ctx.attrs().has("ends"))
      return invalid_model("attributes 'starts' and 'ends' are required");
    CNNRT_ASSIGN_OR_RETURN(a.starts, ctx.attrs().get_ints("starts", {}));
    CNNRT_ASSIGN_OR_RETURN(a.ends, ctx.attrs().get_ints("ends", {}));
    CNNRT_ASSIGN_OR_RETURN(a.axes, ctx.attrs().get_ints("axes", {}));
    if (!ctx.attrs().has("axes")) a.axes.clear();
    return a;
  }
  std::vector<int64_t>* lists[] = {&a.starts, &a.ends, &a.axes, &a.steps};
  const char* names[] = {"starts", "ends", "axes", "steps"};
  for (size_t i = 1; i < 5; ++i) {
    if (!ctx.has_input(i)) continue;
    const TensorData* c = ctx.input_constant(i);
    if (!c) {
      *known = false;
      continue;
    }
    CNNRT_ASSIGN_OR_RETURN(*lists[i - 1], int_list_input(*c, names[i - 1]));
  }
  return a;
}

Result<SlicePlan> plan_slice(const Dims& x, const SliceArgs& a, bool allow_negative_axes) {
  const int64_t rank = static_cast<int64_t>(x.size());
  const size_t n = a.starts.size();
  if (a.ends.size() != n)
    return invalid_model("starts ", ints_str(a.starts), " and ends ", ints_str(a.ends), " differ in length");
  std::vector<int64_t> axes = a.axes;
  if (axes.empty() && n > 0) {
    for (size_t i = 0; i < n; ++i) axes.push_back(static_cast<int64_t>(i));
  } else if (axes.size() != n) {
    return invalid_model("axes ", ints_str(axes), " and starts ", ints_str(a.starts), " differ in length");
  }
  if (!a.steps.empty() && a.steps.size() != n)
    return invalid_model("steps ", ints_str(a.steps), " and starts ", ints_str(a.starts), " differ in length");
  if (!allow_negative_axes)
    for (int64_t ax : axes)
      if (ax < 0) return invalid_model("negative axis ", ax, " needs opset 11 or later");
  CNNRT_ASSIGN_OR_RETURN(axes, normalize_axes(axes, rank, "axes"));

  SlicePlan p;
  p.start.assign(x.size(), 0);
  p.step.assign(x.size(), 1);
  p.out = x;
  for (size_t i = 0; i < n; ++i) {
    const int64_t ax = axes[i];
    const int64_t step = a.steps.empty() ? 1 : a.steps[i];
    if (step == 0) return invalid_model("steps ", ints_str(a.steps), " has a 0 step for axis ", ax);
    p.step[ax] = step;
    const int64_t d = x[ax];
    if (d < 0) continue;  // unknown until the plan for a concrete shape
    int64_t start = a.starts[i], end = a.ends[i];
    if (start < 0) start += d;
    if (end < 0) end += d;
    int64_t span;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, d);
      end = std::clamp<int64_t>(end, 0, d);
      span = end - start;
    } else {
      start = std::clamp<int64_t>(start, 0, d - 1);
      end = std::clamp<int64_t>(end, -1, d - 1);
      span = start - end;
    }
    // |step| without overflowing on INT64_MIN; the count avoids span + |step|.
    const int64_t mag = step > 0 ? step : (step == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -step);
    p.out[ax] = span <= 0 ? 0 : 1 + (span - 1) / mag;
    p.start[ax] = p.out[ax] == 0 ? 0 : start;
  }
  return p;
}

Status infer_slice(InferContext& ctx) {
  if (ctx.opset() < 10) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  } else {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(3, 5));
    for (size_t i = 1; i < 5; ++i)
      if (ctx.has_input(i)) {
        CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(i, {DType::i32, DType::i64}));
        CNNRT_RETURN_IF_ERROR(ctx.expect_rank(i, 1, 1));
      }
  }
  const Dims& x = ctx.input_shape(0);
  bool known = true;
  CNNRT_ASSIGN_OR_RETURN(SliceArgs args, read_slice_args(ctx, &known));
  if (!known) {
    ctx.set_output(0, ctx.input_dtype(0), Dims(x.size(), kUnknownDim));
    return ok_status();
  }
  CNNRT_ASSIGN_OR_RETURN(SlicePlan p, plan_slice(x, args, ctx.opset() >= 11));
  ctx.set_output(0, ctx.input_dtype(0), p.out);
  return ok_status();
}

Status lower_slice(LowerContext& ctx) {
  bool known = true;
  CNNRT_ASSIGN_OR_RETURN(SliceArgs args, read_slice_args(ctx, &known));
  if (!known) return unsupported("the slice bounds must be constants or computable from the input shapes");
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(SlicePlan p, plan_slice(x, args, ctx.opset() >= 11));
  bool whole = true;  // everything, in order: the output is the input
  for (size_t k = 0; k < x.size(); ++k)
    whole = whole && p.out[k] == x[k] && p.start[k] == 0 && (p.step[k] == 1 || x[k] <= 1);
  if (whole) {
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
    return ctx.output_alias(0, src).status();
  }
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  StridedView src = in.second;
  for (size_t k = 0; k < p.out.size(); ++k) {
    src.offset += p.start[k] * in.second.strides[k];
    // A step only matters (and only fits in the stride) when it is taken.
    src.strides[k] = p.out[k] > 1 ? in.second.strides[k] * p.step[k] : in.second.strides[k];
    src.dims[k] = p.out[k];
  }
  CNNRT_ASSIGN_OR_RETURN(auto out, output_like(ctx, 0, ctx.tensor(in.first)));
  return add_copy(ctx, in.first, src, out.first, out.second);
}

}  // namespace

void register_slice(OpRegistry& r) {
  OpDef def;
  def.op_type = "Slice";
  def.first_opset = 1;
  def.infer = infer_slice;
  def.lower = lower_slice;
  r.add(def);
}

}  // namespace cnnrt
