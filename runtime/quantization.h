// Post-training int8 quantization: what calibration measures about a value,
// and how a conversion scales float values into 8-bit integers.
//
// The scheme is symmetric (no zero points): a float x is held as
// q = saturate(round(x * scale)), scale = 255 / max|x| in u8 for values
// calibration never saw negative (ReLU outputs: twice the resolution), else
// 127 / max|x| in s8. Weights are s8 with one scale per output channel,
// 127 / max|w[oc]|. A convolution of quantized src and weights accumulates
// in s32, and output scales 1 / (src_scale * weight_scale[oc]) bring the
// result back to float, where bias, residual sums and activations apply as
// in FP32.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace cnnrt {

// Multipliers for a quantizing conversion, as oneDNN's output scales: one
// value (mask 0), or one per index of the dimensions whose bits are set in
// mask (e.g. mask 1: per output channel of [OC, IC, kh, kw] weights).
// The converted value is saturate(round(x * scale)) in the target type.
struct QuantScales {
  std::vector<float> scales;
  int mask = 0;
  bool operator==(const QuantScales& o) const { return mask == o.mask && scales == o.scales; }
};

// What calibration saw of one float value over every sample.
struct ValueRange {
  float max_abs = 0;          // largest |x| (finite values only)
  bool non_negative = true;   // no sample had a value below 0
};

// The ranges an int8 session quantizes with, by value name. Made once per
// session by calibration; compilations of every input shape share it.
struct Calibration {
  std::unordered_map<std::string, ValueRange> ranges;
  size_t samples = 0;
};

}  // namespace cnnrt
