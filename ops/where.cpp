// Where (ai.onnx 9-28): condition ? X : Y, the three broadcast together
// (numpy rules). A plain selection loop over any element type: oneDNN 2.6
// has no select primitive, and arithmetic blends (c * x + (1 - c) * y)
// are not faithful (0 * inf is NaN, and y + (x - y) is not x in floating
// point). The loop copies elements, it computes nothing.
#include <cstring>

#include "ops/common/broadcast.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_where(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(3, 3));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::boolean}));
  const DType t = ctx.input_dtype(1);
  if (ctx.input_dtype(2) != t)
    return invalid_model("X and Y have different element types (", dtype_name(t), " and ",
                         dtype_name(ctx.input_dtype(2)), ")");
  if (dtype_size(t) == 0) return unsupported("element type ", dtype_name(t), " is not supported");
  CNNRT_ASSIGN_OR_RETURN(Dims out, broadcast_shapes(ctx.input_shape(0), ctx.input_shape(1)));
  CNNRT_ASSIGN_OR_RETURN(out, broadcast_shapes(out, ctx.input_shape(2)));
  ctx.set_output(0, t, out);
  return ok_status();
}

template <class T>
Kernel select_kernel(Dims out, std::vector<std::vector<int64_t>> strides) {
  return [out, strides](const KernelIO& io) {
    const uint8_t* c = static_cast<const uint8_t*>(io.in[0]);
    const T* x = static_cast<const T*>(io.in[1]);
    const T* y = static_cast<const T*>(io.in[2]);
    T* dst = static_cast<T*>(io.out[0]);
    for_each_broadcast(out, strides, [&](int64_t i, const std::vector<int64_t>& off) {
      dst[i] = c[off[0]] ? x[off[1]] : y[off[2]];
    });
    return ok_status();
  };
}

Status lower_where(LowerContext& ctx) {
  const Dims& out = ctx.output_dims(0);
  std::vector<int> inputs;
  std::vector<std::vector<int64_t>> strides;
  for (size_t i = 0; i < 3; ++i) {
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input_plain(i));
    inputs.push_back(t);
    strides.push_back(broadcast_strides(ctx.input_dims(i), out));
  }
  CNNRT_ASSIGN_OR_RETURN(int y, ctx.output_plain(0));
  Kernel k;
  switch (dtype_size(ctx.output_dtype(0))) {
    case 1: k = select_kernel<uint8_t>(out, strides); break;
    case 2: k = select_kernel<uint16_t>(out, strides); break;
    case 4: k = select_kernel<uint32_t>(out, strides); break;
    case 8: k = select_kernel<uint64_t>(out, strides); break;
    default: return unsupported("element type ", dtype_name(ctx.output_dtype(0)), " is not supported");
  }
  ctx.add_kernel("select", std::move(k), inputs, {y});
  return ok_status();
}

}  // namespace

void register_where(OpRegistry& r) {
  OpDef def;
  def.op_type = "Where";
  def.first_opset = 9;
  def.infer = infer_where;
  def.lower = lower_where;
  r.add(def);
}

}  // namespace cnnrt
