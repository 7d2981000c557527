// Shape (ai.onnx 1-28): the input's dims as an int64 vector, from opset 15
// only those in [start, end) (negative counts from the back, clamped to the
// rank). Known whenever those dims are known, so it becomes a constant at
// load time or, for a dynamic batch, when the plan for a concrete shape is
// made; the Gather/Concat/Reshape chains exporters build from it fold with it.
#include <algorithm>
#include <cstring>

#include "ops/common/shape_util.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<std::pair<int64_t, int64_t>> shape_range(const Attributes& attrs, int opset, int64_t rank) {
  int64_t start = 0, end = rank;
  if (opset >= 15) {
    CNNRT_ASSIGN_OR_RETURN(start, attrs.get_int("start", 0));
    CNNRT_ASSIGN_OR_RETURN(end, attrs.get_int("end", rank));
  }
  auto clamp = [rank](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
  start = clamp(start);
  end = std::max(clamp(end), start);
  return std::make_pair(start, end);
}

Status infer_shape(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  const Dims& x = ctx.input_shape(0);
  CNNRT_ASSIGN_OR_RETURN(auto range, shape_range(ctx.attrs(), ctx.opset(), static_cast<int64_t>(x.size())));
  const Dims picked(x.begin() + range.first, x.begin() + range.second);
  if (dims_known(picked)) {
    CNNRT_ASSIGN_OR_RETURN(TensorPtr c, make_i64({static_cast<int64_t>(picked.size())}, picked));
    ctx.set_output_constant(0, c);
    return ok_status();
  }
  ctx.set_output(0, DType::i64, {static_cast<int64_t>(picked.size())});
  return ok_status();
}

// Only reached if a plan is made for shapes inference did not fold (it
// always does with concrete shapes); writes the dims all the same.
Status lower_shape(LowerContext& ctx) {
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(auto range, shape_range(ctx.attrs(), ctx.opset(), static_cast<int64_t>(x.size())));
  const std::vector<int64_t> picked(x.begin() + range.first, x.begin() + range.second);
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  ctx.add_kernel("shape", [picked](const KernelIO& io) {
    if (!picked.empty()) std::memcpy(io.out[0], picked.data(), picked.size() * sizeof(int64_t));
    return ok_status();
  }, {}, {out});
  return ok_status();
}

}  // namespace

void register_shape(OpRegistry& r) {
  OpDef def;
  def.op_type = "Shape";
  def.first_opset = 1;
  def.infer = infer_shape;
  def.lower = lower_shape;
  r.add(def);
}

}  // namespace cnnrt
