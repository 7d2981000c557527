#include "ops/common/quantize.h"

#include <algorithm>
#include <cmath>

namespace cnnrt {

ActivationQuant activation_quant(const ValueRange& r) {
  const bool u8 = r.non_negative;
  const float levels = u8 ? 255.0f : 127.0f;
  return {u8 ? dnnl::memory::data_type::u8 : dnnl::memory::data_type::s8,
          r.max_abs > 0 ? levels / r.max_abs : 1.0f};
}

std::vector<float> per_channel_scales(const TensorData& w) {
  const int64_t channels = w.dims.empty() ? 1 : w.dims[0];
  const int64_t per = channels > 0 ? w.count() / channels : 0;
  const float* p = w.as<float>();
  std::vector<float> scales(static_cast<size_t>(std::max<int64_t>(channels, 0)), 1.0f);
  for (int64_t c = 0; c < channels; ++c) {
    float m = 0;
    for (int64_t k = 0; k < per; ++k) m = std::max(m, std::fabs(p[c * per + k]));
    if (m > 0 && std::isfinite(m)) scales[static_cast<size_t>(c)] = 127.0f / m;
  }
  return scales;
}

}  // namespace cnnrt
