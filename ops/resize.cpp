// Resize (ai.onnx 10-28): nearest, linear and cubic interpolation of any
// axes, as ONNX Runtime computes it. Opset 10 takes scales and behaves like
// Upsample (asymmetric coordinates, nearest rounds up when downsampling and
// truncates otherwise); from 11 scales or sizes (constant inputs), with
// coordinate_transformation_mode, nearest_mode, cubic_coeff_a and
// exclude_outside; from 18 also axes and keep_aspect_ratio_policy (antialias
// only where it changes nothing: upsampling or nearest).
//
// Refused, with errors saying so: tf_crop_and_resize (crops by a run-time
// roi and extrapolates), antialiased downsampling, scales or sizes that
// never become constants (computed from a dynamic batch's shape they fold in
// the session's plan; a small graph input keys a plan per value), non-float
// data. The interpolation itself is in
// ops/common/resize.cpp: oneDNN resampling where it matches exactly, else
// one oneDNN matmul per resized axis.
#include <algorithm>
#include <cmath>

#include "ops/common/resize.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// A scales or sizes input: absent, declared empty, a constant, or (only
// at load, see InferContext::constant_pending) not known yet.
struct ParamInput {
  bool given = false;
  const TensorData* data = nullptr;
  bool pending = false;  // may still fold in the session's plan
};

Result<ParamInput> param_input(bool has, const Dims& shape, const TensorData* data, const char* name,
                               bool pending) {
  ParamInput p;
  if (!has) return p;
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return p;  // an empty tensor: not given
  if (pending) {
    p.pending = true;
    return p;
  }
  if (!data) return unsupported(name, " must be a constant or computable from the input shapes");
  if (data->dims.size() != 1) return invalid_model(name, " must be 1-D, got shape ", dims_str(data->dims));
  p.given = true;
  p.data = data;
  return p;
}

struct ResizeInputs {
  ParamInput scales, sizes;
};

Result<ResizeParams> read_resize(const Attributes& attrs, int opset, const Dims& x, const ResizeInputs& in) {
  ResizeParams p;
  const size_t rank = x.size();
  CNNRT_ASSIGN_OR_RETURN(std::string mode, attrs.get_string("mode", "nearest"));
  CNNRT_ASSIGN_OR_RETURN(p.mode, parse_resize_mode(mode));
  if (opset < 11) {
    if (p.mode == ResizeParams::Mode::cubic) return invalid_model("mode 'cubic' needs opset 11 or later");
    p.coordinate_mode = "asymmetric";
    p.nearest_mode = "simple";
  } else {
    CNNRT_ASSIGN_OR_RETURN(p.coordinate_mode, attrs.get_string("coordinate_transformation_mode", "half_pixel"));
    CNNRT_RETURN_IF_ERROR(check_coordinate_mode(p.coordinate_mode, opset));
    CNNRT_ASSIGN_OR_RETURN(p.nearest_mode, attrs.get_string("nearest_mode", "round_prefer_floor"));
    CNNRT_RETURN_IF_ERROR(check_nearest_mode(p.nearest_mode));
    CNNRT_ASSIGN_OR_RETURN(p.cubic_a, attrs.get_float("cubic_coeff_a", -0.75f));
    CNNRT_ASSIGN_OR_RETURN(int64_t exclude, attrs.get_int("exclude_outside", 0));
    p.exclude_outside = exclude != 0;
  }

  // The axes scales / sizes refer to (all of them before opset 18).
  std::vector<size_t> axes(rank);
  for (size_t i = 0; i < rank; ++i) axes[i] = i;
  std::string policy = "stretch";
  int64_t antialias = 0;
  if (opset >= 18) {
    CNNRT_ASSIGN_OR_RETURN(Dims axes_attr, attrs.get_ints("axes", {}));
    if (!axes_attr.empty()) {
      axes.clear();
      for (int64_t a : axes_attr) {
        CNNRT_ASSIGN_OR_RETURN(int64_t axis, normalize_axis(a, static_cast<int64_t>(rank), "axis"));
        if (std::find(axes.begin(), axes.end(), static_cast<size_t>(axis)) != axes.end())
          return invalid_model("axis ", a, " appears twice in axes");
        axes.push_back(static_cast<size_t>(axis));
      }
    }
    CNNRT_ASSIGN_OR_RETURN(policy, attrs.get_string("keep_aspect_ratio_policy", "stretch"));
    if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
      return invalid_model("keep_aspect_ratio_policy '", policy, "' is not one of stretch, not_larger, not_smaller");
    CNNRT_ASSIGN_OR_RETURN(antialias, attrs.get_int("antialias", 0));
  }

  if (in.scales.given == in.sizes.given)
    return invalid_model("exactly one of scales and sizes must be given (", in.scales.given ? "both" : "neither", " are)");
  p.scales.assign(rank, 1.0f);
  p.out = x;
  const TensorData& values = in.scales.given ? *in.scales.data : *in.sizes.data;
  if (static_cast<size_t>(values.count()) != axes.size())
    return invalid_model(in.scales.given ? "scales" : "sizes", " has ", values.count(), " values for ", axes.size(),
                         " axes");
  if (in.scales.given) {
    for (size_t k = 0; k < axes.size(); ++k) {
      const float s = static_cast<float>(element_as_double(values, static_cast<int64_t>(k)));
      if (!(s > 0) || !std::isfinite(s)) return invalid_model("scales must be positive, got ", s);
      p.scales[axes[k]] = s;
    }
    p.out = sizes_from_scales(x, p.scales);
  } else {
    Dims sizes(axes.size());
    for (size_t k = 0; k < axes.size(); ++k) {
      sizes[k] = element_as_int(values, static_cast<int64_t>(k));
      if (sizes[k] < 1) return invalid_model("sizes must be positive, got ", dims_str(sizes));
    }
    if (policy == "stretch") {
      for (size_t k = 0; k < axes.size(); ++k) {
        const size_t a = axes[k];
        p.out[a] = sizes[k];
        if (x[a] > 0) p.scales[a] = static_cast<float>(sizes[k]) / static_cast<float>(x[a]);
      }
    } else {
      // One scale for every listed axis, the one that fits (not_larger) or
      // covers (not_smaller) the requested box.
      float s = policy == "not_larger" ? INFINITY : 0.0f;
      bool known = true;
      for (size_t k = 0; k < axes.size(); ++k) {
        if (x[axes[k]] <= 0) known = false;
        const float r = static_cast<float>(sizes[k]) / static_cast<float>(x[axes[k]]);
        s = policy == "not_larger" ? std::min(s, r) : std::max(s, r);
      }
      for (size_t a : axes) {
        p.scales[a] = s;
        p.out[a] = known ? static_cast<int64_t>(std::round(s * static_cast<float>(x[a]))) : kUnknownDim;
      }
    }
  }
  if (antialias != 0 && p.mode != ResizeParams::Mode::nearest)
    for (size_t a = 0; a < rank; ++a)
      if (p.scales[a] < 1.0f) return unsupported("antialiased downsampling (antialias = 1 with a scale below 1)");
  return p;
}

Result<ResizeInputs> inputs_at_infer(InferContext& ctx) {
  ResizeInputs in;
  // Opset 10: (X, scales); from 11: (X, roi, scales, sizes).
  const size_t scales = ctx.opset() < 11 ? 1 : 2;
  if (ctx.has_input(scales)) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(scales, {DType::f32}));
    CNNRT_ASSIGN_OR_RETURN(in.scales, param_input(true, ctx.input_shape(scales), ctx.input_constant(scales), "scales",
                                                  ctx.constant_pending(scales)));
  }
  if (ctx.opset() >= 11 && ctx.has_input(3)) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(3, {DType::i64}));
    CNNRT_ASSIGN_OR_RETURN(in.sizes, param_input(true, ctx.input_shape(3), ctx.input_constant(3), "sizes",
                                                 ctx.constant_pending(3)));
  }
  return in;
}

Status infer_resize(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(ctx.opset() < 11 ? 2 : 1, ctx.opset() < 11 ? 2 : 4));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 1, DNNL_MAX_NDIMS));
  CNNRT_ASSIGN_OR_RETURN(ResizeInputs in, inputs_at_infer(ctx));
  if (in.scales.pending || in.sizes.pending) {
    // Known once the batch is: the output's dims wait for it.
    ctx.set_output(0, DType::f32, Dims(ctx.input_shape(0).size(), kUnknownDim));
    return ok_status();
  }
  CNNRT_ASSIGN_OR_RETURN(ResizeParams p, read_resize(ctx.attrs(), ctx.opset(), ctx.input_shape(0), in));
  ctx.set_output(0, DType::f32, p.out);
  return ok_status();
}

Status lower_resize_op(LowerContext& ctx) {
  ResizeInputs in;
  const size_t scales = ctx.opset() < 11 ? 1 : 2;
  if (ctx.has_input(scales)) {
    CNNRT_ASSIGN_OR_RETURN(in.scales, param_input(true, ctx.input_dims(scales), ctx.input_constant(scales), "scales", false));
  }
  if (ctx.opset() >= 11 && ctx.has_input(3)) {
    CNNRT_ASSIGN_OR_RETURN(in.sizes, param_input(true, ctx.input_dims(3), ctx.input_constant(3), "sizes", false));
  }
  CNNRT_ASSIGN_OR_RETURN(ResizeParams p, read_resize(ctx.attrs(), ctx.opset(), ctx.input_dims(0), in));
  return lower_resize(ctx, p);
}

}  // namespace

void register_resize(OpRegistry& r) {
  OpDef def;
  def.op_type = "Resize";
  def.first_opset = 10;
  def.infer = infer_resize;
  def.lower = lower_resize_op;
  r.add(def);
}

}  // namespace cnnrt
