// Shared by test_conv.cpp, test_maxpool.cpp and test_averagepool.cpp:
// ONNX's output size of a sliding window along one spatial dim, and the
// padding that implies (auto_pad, ceil_mode).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

namespace cnnrt::test {

// in: the input size; k, s, d: kernel, stride, dilation. p0 and p1 hold the
// explicit pads on entry (used with NOTSET) and the pads in effect on
// return: computed for SAME_UPPER/SAME_LOWER, 0 for VALID. ceil: the pools'
// ceil_mode.
inline int64_t window_out_size(int64_t in, int64_t k, int64_t s, int64_t d, const std::string& auto_pad, bool ceil,
                               int64_t& p0, int64_t& p1) {
  const int64_t dk = (k - 1) * d + 1;
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const int64_t out = (in + s - 1) / s;
    const int64_t total = std::max<int64_t>(0, (out - 1) * s + dk - in);
    p0 = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    p1 = total - p0;
    return out;
  }
  if (auto_pad == "VALID") p0 = p1 = 0;
  const int64_t span = in + p0 + p1 - dk;
  if (!ceil) return span / s + 1;
  int64_t out = (span + s - 1) / s + 1;
  if ((out - 1) * s >= in + p0) --out;  // the last window may not start in the end padding
  return out;
}

}  // namespace cnnrt::test
