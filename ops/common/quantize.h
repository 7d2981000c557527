// Scales for ops that run in int8 (runtime/quantization.h describes the
// scheme): activations from their calibrated range, weights per output
// channel from their constant values.
#pragma once

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/quantization.h"
#include "runtime/tensor.h"

namespace cnnrt {

// How a calibrated float value is held in 8 bits: u8 with scale
// 255 / max|x| when calibration never saw it negative, else s8 with
// 127 / max|x|. A value that was always 0 gets scale 1.
struct ActivationQuant {
  dnnl::memory::data_type type;
  float scale;
};
ActivationQuant activation_quant(const ValueRange& r);

// One scale per slice along dim 0 of a float32 tensor (output channels of
// [OC, ...] weights): 127 / max|w| over the slice, 1 for an all-zero slice.
std::vector<float> per_channel_scales(const TensorData& w);

}  // namespace cnnrt
