// Shared by Resize and Upsample: the interpolation ONNX Runtime implements
// (nearest with its rounding modes, linear, cubic; every coordinate
// transformation but tf_crop_and_resize), given per-axis scales and output
// sizes the op files read from their opset's attributes and inputs.
//
// Lowering picks oneDNN's resampling where it computes exactly the same
// sources and weights (it always uses half-pixel centres and the ratio of
// the sizes; nearest rounds halves up), checked per axis against the ONNX
// mapping. Everything else runs as one oneDNN matmul per resized axis with
// a constant interpolation matrix [out, in] (rows hold 1, 2 or 4 non-zero
// weights): exact for any mode, at the cost of dense arithmetic.
#pragma once

#include <string>
#include <vector>

#include "runtime/status.h"
#include "runtime/tensor.h"

namespace cnnrt {

class InferContext;
class LowerContext;

struct ResizeParams {
  enum class Mode { nearest, linear, cubic } mode = Mode::nearest;
  // half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners,
  // asymmetric, tf_half_pixel_for_nn
  std::string coordinate_mode = "half_pixel";
  // round_prefer_floor, round_prefer_ceil, floor, ceil, or "simple" (opset
  // 10 and Upsample: ceil when downsampling, truncate otherwise)
  std::string nearest_mode = "round_prefer_floor";
  float cubic_a = -0.75f;
  bool exclude_outside = false;
  std::vector<float> scales;  // per input dim
  Dims out;                   // per input dim; -1 where unknown
};

// Parses mode / coordinate_transformation_mode / nearest_mode values.
Result<ResizeParams::Mode> parse_resize_mode(const std::string& mode);
Status check_coordinate_mode(const std::string& mode, int opset);
Status check_nearest_mode(const std::string& mode);

// Output dims from scales (floor(in * scale), in float as ONNX Runtime does).
Dims sizes_from_scales(const Dims& in, const std::vector<float>& scales);

// Lowers the interpolation described by p for input 0 into output 0.
Status lower_resize(LowerContext& ctx, const ResizeParams& p);

}  // namespace cnnrt
