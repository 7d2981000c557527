#include "ops/common/spatial.h"

#include <algorithm>

namespace cnnrt {

Result<SpatialParams> read_spatial(const Attributes& attrs, const Dims& in, const Dims* kernel_from_weights,
                                   bool allow_ceil_mode, bool allow_dilations) {
  const size_t n = in.size();
  SpatialParams p;
  CNNRT_ASSIGN_OR_RETURN(Dims kernel_attr, attrs.get_ints("kernel_shape", {}));
  if (!kernel_attr.empty()) {
    p.kernel = kernel_attr;
    if (kernel_from_weights && *kernel_from_weights != kernel_attr)
      return invalid_model("kernel_shape ", dims_str(kernel_attr), " does not match the weights' spatial shape ",
                           dims_str(*kernel_from_weights));
  } else if (kernel_from_weights) {
    p.kernel = *kernel_from_weights;
  } else {
    return invalid_model("attribute 'kernel_shape' is required");
  }
  if (p.kernel.size() != n)
    return invalid_model("kernel_shape ", dims_str(p.kernel), " has ", p.kernel.size(), " dims, the input has ", n,
                         " spatial dims");
  for (int64_t k : p.kernel) {
    if (k < 1) return invalid_model("kernel_shape ", dims_str(p.kernel), " must be positive");
    if (k > kMaxSpatialValue) return unsupported("kernel_shape ", dims_str(p.kernel), " is too large");
  }

  CNNRT_ASSIGN_OR_RETURN(p.strides, attrs.get_ints("strides", Dims(n, 1)));
  CNNRT_ASSIGN_OR_RETURN(p.dilations, attrs.get_ints("dilations", Dims(n, 1)));
  if (p.strides.empty()) p.strides.assign(n, 1);
  if (p.dilations.empty()) p.dilations.assign(n, 1);
  if (p.strides.size() != n) return invalid_model("strides ", dims_str(p.strides), " must have ", n, " values");
  if (p.dilations.size() != n) return invalid_model("dilations ", dims_str(p.dilations), " must have ", n, " values");
  for (int64_t s : p.strides) {
    if (s < 1) return invalid_model("strides ", dims_str(p.strides), " must be positive");
    if (s > kMaxSpatialValue) return unsupported("strides ", dims_str(p.strides), " are too large");
  }
  for (int64_t d : p.dilations) {
    if (d < 1) return invalid_model("dilations ", dims_str(p.dilations), " must be positive");
    if (d > kMaxSpatialValue) return unsupported("dilations ", dims_str(p.dilations), " are too large");
    if (d != 1 && !allow_dilations) return invalid_model("attribute 'dilations' is not valid at this opset");
  }

  int64_t ceil_mode = 0;
  if (allow_ceil_mode) {
    CNNRT_ASSIGN_OR_RETURN(ceil_mode, attrs.get_int("ceil_mode", 0));
  } else if (attrs.has("ceil_mode")) {
    return invalid_model("attribute 'ceil_mode' is not valid at this opset");
  }

  CNNRT_ASSIGN_OR_RETURN(std::string auto_pad, attrs.get_string("auto_pad", "NOTSET"));
  CNNRT_ASSIGN_OR_RETURN(Dims pads, attrs.get_ints("pads", {}));
  p.pads_begin.assign(n, 0);
  p.pads_end.assign(n, 0);
  p.out.assign(n, kUnknownDim);

  if (auto_pad == "NOTSET" || auto_pad.empty()) {
    if (!pads.empty()) {
      if (pads.size() != 2 * n) return invalid_model("pads ", dims_str(pads), " must have ", 2 * n, " values");
      for (size_t i = 0; i < n; ++i) {
        p.pads_begin[i] = pads[i];
        p.pads_end[i] = pads[i + n];
        if (pads[i] < 0 || pads[i + n] < 0) return unsupported("negative pads ", dims_str(pads), " are not supported");
        if (pads[i] > kMaxSpatialValue || pads[i + n] > kMaxSpatialValue)
          return unsupported("pads ", dims_str(pads), " are too large");
      }
    }
  } else if (auto_pad != "VALID" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER") {
    return invalid_model("auto_pad '", auto_pad, "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  }

  for (size_t i = 0; i < n; ++i) {
    const int64_t dk = (p.kernel[i] - 1) * p.dilations[i] + 1;
    if (in[i] < 0) continue;
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      p.out[i] = (in[i] + p.strides[i] - 1) / p.strides[i];
      const int64_t total = std::max<int64_t>(0, (p.out[i] - 1) * p.strides[i] + dk - in[i]);
      p.pads_begin[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      p.pads_end[i] = total - p.pads_begin[i];
      continue;
    }
    const int64_t span = in[i] + p.pads_begin[i] + p.pads_end[i] - dk;
    if (span < 0)
      return invalid_model("the kernel (", p.kernel[i], ", dilation ", p.dilations[i], ") is larger than the padded input (",
                           in[i], " + pads ", p.pads_begin[i], "+", p.pads_end[i], ") in spatial dim ", i);
    if (ceil_mode) {
      int64_t out = (span + p.strides[i] - 1) / p.strides[i] + 1;
      if ((out - 1) * p.strides[i] >= in[i] + p.pads_begin[i]) --out;
      p.out[i] = out;
    } else {
      p.out[i] = span / p.strides[i] + 1;
    }
  }
  return p;
}

int64_t padded_positions(const SpatialParams& p, const Dims& in, size_t i) {
  const int64_t out = p.out[i], s = p.strides[i];
  if (out <= 0 || in[i] < 0) return 0;
  const int64_t dk = (p.kernel[i] - 1) * p.dilations[i] + 1;
  // Window o covers [o*s - pb, o*s - pb + dk - 1]: clipped on the left while
  // o*s < pb, on the right once o*s > in + pb - dk.
  const int64_t left = std::min(out, (p.pads_begin[i] + s - 1) / s);
  const int64_t last_inside = in[i] + p.pads_begin[i] - dk;  // the largest o*s still inside on the right
  const int64_t right = last_inside < 0 ? out : std::max<int64_t>(0, out - (last_inside / s + 1));
  return std::min(out, left + right);
}

Dims dnnl_pads_end(const SpatialParams& p, const Dims& in) {
  Dims pe(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const int64_t dk = (p.kernel[i] - 1) * p.dilations[i] + 1;
    // The model's own end padding when it already gives the output size
    // (floor mode); more when ceil_mode needs a partial last window.
    pe[i] = std::max(p.pads_end[i], (p.out[i] - 1) * p.strides[i] + dk - in[i] - p.pads_begin[i]);
  }
  return pe;
}

Dims dnnl_dilations(const SpatialParams& p) {
  Dims d(p.dilations.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = p.dilations[i] - 1;
  return d;
}

}  // namespace cnnrt
