// Upsample (ai.onnx 7-9, deprecated from 10 in favour of Resize): nearest or
// linear upsampling by scales >= 1 (an attribute at opset 7, a constant
// input at 9), with asymmetric coordinates and nearest truncating, as ONNX
// Runtime computes it. Shares Resize's interpolation (ops/common/resize.cpp).
#include <cmath>

#include "ops/common/resize.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<ResizeParams> read_upsample(const Attributes& attrs, int opset, const Dims& x, const TensorData* scales_input) {
  ResizeParams p;
  CNNRT_ASSIGN_OR_RETURN(std::string mode, attrs.get_string("mode", "nearest"));
  if (mode == "bilinear") mode = "linear";  // Upsample-1's name, still seen in converted models
  if (mode != "nearest" && mode != "linear") return invalid_model("mode '", mode, "' is not one of nearest, linear");
  CNNRT_ASSIGN_OR_RETURN(p.mode, parse_resize_mode(mode));
  p.coordinate_mode = "asymmetric";
  p.nearest_mode = "simple";
  if (opset < 9) {
    if (!attrs.has("scales")) return invalid_model("attribute 'scales' is required");
    CNNRT_ASSIGN_OR_RETURN(p.scales, attrs.get_floats("scales", {}));
  } else {
    if (!scales_input) return unsupported("scales must be a constant or computable from the input shapes");
    for (int64_t i = 0; i < scales_input->count(); ++i)
      p.scales.push_back(static_cast<float>(element_as_double(*scales_input, i)));
  }
  if (p.scales.size() != x.size())
    return invalid_model("scales has ", p.scales.size(), " values for an input of rank ", x.size());
  for (float s : p.scales)
    if (!(s >= 1.0f) || !std::isfinite(s)) return invalid_model("scales must be >= 1, got ", s);
  p.out = sizes_from_scales(x, p.scales);
  return p;
}

Status infer_upsample(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(ctx.opset() < 9 ? 1 : 2, ctx.opset() < 9 ? 1 : 2));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, DNNL_MAX_NDIMS));
  if (ctx.opset() >= 9) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::f32}));
    if (ctx.constant_pending(1)) {
      // scales computed from a dynamic batch's shape: known once it is.
      ctx.set_output(0, DType::f32, Dims(ctx.input_shape(0).size(), kUnknownDim));
      return ok_status();
    }
    CNNRT_RETURN_IF_ERROR(ctx.expect_constant(1, "scales"));
  }
  CNNRT_ASSIGN_OR_RETURN(ResizeParams p, read_upsample(ctx.attrs(), ctx.opset(), ctx.input_shape(0),
                                                       ctx.opset() >= 9 ? ctx.input_constant(1) : nullptr));
  ctx.set_output(0, DType::f32, p.out);
  return ok_status();
}

Status lower_upsample(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(ResizeParams p, read_upsample(ctx.attrs(), ctx.opset(), ctx.input_dims(0),
                                                       ctx.opset() >= 9 ? ctx.input_constant(1) : nullptr));
  return lower_resize(ctx, p);
}

}  // namespace

void register_upsample(OpRegistry& r) {
  OpDef def;
  def.op_type = "Upsample";
  def.first_opset = 7;
  def.last_opset = 9;
  def.infer = infer_upsample;
  def.lower = lower_upsample;
  r.add(def);
}

}  // namespace cnnrt
