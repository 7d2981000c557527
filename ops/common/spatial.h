// Kernel, stride, dilation and padding attributes shared by convolution and
// pooling ops, with ONNX's auto_pad rules and output-size formulas.
#pragma once

#include <vector>

#include "runtime/attributes.h"
#include "runtime/graph.h"
#include "runtime/tensor.h"

namespace cnnrt {

// Kernel sizes, strides, dilations and pads above this are refused: no
// model needs them, and the output-size arithmetic stays far from int64
// overflow.
constexpr int64_t kMaxSpatialValue = (int64_t{1} << 31) - 1;

struct SpatialParams {
  Dims kernel, strides, dilations, pads_begin, pads_end;
  Dims out;  // output spatial dims; -1 where the input dim is unknown
};

// Reads kernel_shape (or uses `kernel_from_weights` when given), strides,
// dilations, pads and auto_pad for `in` spatial dims, and computes the
// output size. ceil_mode rounds up as PyTorch and ONNX Runtime do (a window
// that would start in the end padding is dropped).
Result<SpatialParams> read_spatial(const Attributes& attrs, const Dims& in, const Dims* kernel_from_weights,
                                   bool allow_ceil_mode, bool allow_dilations);

// How many output positions along spatial dim i have a window that
// overlaps the padding (0 where the input dim is unknown).
int64_t padded_positions(const SpatialParams& p, const Dims& in, size_t i);

// oneDNN wants end padding that makes (in + pb + pe - dk) / s + 1 exactly
// the output size; ceil_mode may need more than the model's pads.
Dims dnnl_pads_end(const SpatialParams& p, const Dims& in);

// oneDNN counts dilation from 0 (no gaps), ONNX from 1.
Dims dnnl_dilations(const SpatialParams& p);

}  // namespace cnnrt
