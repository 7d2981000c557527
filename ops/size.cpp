// Size (ai.onnx 1-28): the input's element count as an int64 scalar. Known
// whenever the input's dims are, so it folds to a constant at load time or
// when the plan for a concrete input shape is made.
#include <cstring>

#include "ops/common/shape_util.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_size(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  const Dims& x = ctx.input_shape(0);
  if (dims_known(x)) {
    CNNRT_ASSIGN_OR_RETURN(int64_t n, checked_numel(x, "Size input"));
    CNNRT_ASSIGN_OR_RETURN(TensorPtr c, make_i64({}, {n}));
    ctx.set_output_constant(0, c);
    return ok_status();
  }
  ctx.set_output(0, DType::i64, {});
  return ok_status();
}

// Only reached if a plan is made for shapes inference did not fold (it
// always does with concrete shapes); writes the count all the same.
Status lower_size(LowerContext& ctx) {
  const int64_t n = numel(ctx.input_dims(0));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  ctx.add_kernel("size", [n](const KernelIO& io) {
    std::memcpy(io.out[0], &n, sizeof n);
    return ok_status();
  }, {}, {out});
  return ok_status();
}

}  // namespace

void register_size(OpRegistry& r) {
  OpDef def;
  def.op_type = "Size";
  def.first_opset = 1;
  def.infer = infer_size;
  def.lower = lower_size;
  r.add(def);
}

}  // namespace cnnrt
