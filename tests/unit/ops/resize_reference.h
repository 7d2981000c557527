// Shared by test_resize.cpp and test_upsample.cpp: a naive N-d interpolation
// written from the ONNX Resize definition as ONNX Runtime evaluates it
// (coordinates in float, so rounding ties fall the same way). Every output
// element is the sum over the product of each axis' (index, weight) taps.
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "support/run_model.h"

namespace cnnrt::test {

struct InterpSpec {
  std::string mode = "nearest";  // nearest, linear, cubic
  std::string coord = "half_pixel";
  std::string nearest = "round_prefer_floor";  // or "simple" (opset 10, Upsample)
  float cubic_a = -0.75f;
  bool exclude_outside = false;
};

using AxisTaps = std::vector<std::vector<std::pair<int64_t, double>>>;

inline AxisTaps reference_axis_taps(const InterpSpec& s, int64_t in, int64_t out, float scale) {
  AxisTaps taps(static_cast<size_t>(out));
  auto clamp = [&](int64_t i) { return i < 0 ? 0 : (i >= in ? in - 1 : i); };
  for (int64_t x = 0; x < out; ++x) {
    const float xf = static_cast<float>(x), fin = static_cast<float>(in), fout = static_cast<float>(out);
    float xo;
    if (s.coord == "asymmetric") xo = xf / scale;
    else if (s.coord == "align_corners") xo = out == 1 ? 0.0f : xf * (fin - 1) / (fout - 1);
    else if (s.coord == "pytorch_half_pixel") xo = out > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
    else if (s.coord == "tf_half_pixel_for_nn") xo = (xf + 0.5f) / scale;
    else if (s.coord == "half_pixel_symmetric") xo = fin / 2 * (1 - fout / (scale * fin)) + (xf + 0.5f) / scale - 0.5f;
    else xo = (xf + 0.5f) / scale - 0.5f;
    auto& t = taps[static_cast<size_t>(x)];
    if (s.mode == "nearest") {
      int64_t i;
      if (s.nearest == "round_prefer_ceil") i = static_cast<int64_t>(std::round(xo));
      else if (s.nearest == "floor") i = static_cast<int64_t>(std::floor(xo));
      else if (s.nearest == "ceil") i = static_cast<int64_t>(std::ceil(xo));
      else if (s.nearest == "simple") i = scale < 1 ? static_cast<int64_t>(std::ceil(xo)) : static_cast<int64_t>(xo);
      else i = xo == std::floor(xo) + 0.5f ? static_cast<int64_t>(std::floor(xo)) : static_cast<int64_t>(std::round(xo));
      t.push_back({clamp(i), 1.0});
    } else if (s.mode == "linear") {
      const float xc = std::fmin(std::fmax(xo, 0.0f), fin - 1);
      const int64_t lo = static_cast<int64_t>(std::floor(xc));
      const double frac = xc - static_cast<float>(lo);
      t.push_back({clamp(lo), 1 - frac});
      t.push_back({clamp(lo + 1), frac});
    } else {
      const int64_t lo = static_cast<int64_t>(std::floor(xo));
      const double r = xo - static_cast<float>(lo), a = s.cubic_a;
      // Keys' cubic convolution kernel at distances 1+r, r, 1-r, 2-r.
      auto k = [a](double d) {
        d = std::fabs(d);
        if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
        if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        return 0.0;
      };
      double w[4] = {k(1 + r), k(r), k(1 - r), k(2 - r)}, sum = 0;
      for (int i = 0; i < 4; ++i) {
        if (s.exclude_outside && (lo - 1 + i < 0 || lo - 1 + i >= in)) w[i] = 0;
        sum += w[i];
      }
      for (int i = 0; i < 4; ++i) t.push_back({clamp(lo - 1 + i), s.exclude_outside ? w[i] / sum : w[i]});
    }
  }
  return taps;
}

inline std::vector<float> reference_interpolate(const InterpSpec& s, const std::vector<int64_t>& in_dims,
                                                const std::vector<int64_t>& out_dims, const std::vector<float>& scales,
                                                const std::vector<float>& x) {
  const size_t rank = in_dims.size();
  std::vector<AxisTaps> taps;
  for (size_t a = 0; a < rank; ++a) taps.push_back(reference_axis_taps(s, in_dims[a], out_dims[a], scales[a]));
  const size_t total = element_count(out_dims);
  std::vector<float> y(total);
  std::vector<int64_t> pos(rank);
  for (size_t flat = 0; flat < total; ++flat) {
    size_t rest = flat;
    for (size_t a = rank; a-- > 0;) {
      pos[a] = static_cast<int64_t>(rest % static_cast<size_t>(out_dims[a]));
      rest /= static_cast<size_t>(out_dims[a]);
    }
    // Sum over every combination of one tap per axis.
    std::vector<size_t> choice(rank, 0);
    double acc = 0;
    while (true) {
      double w = 1;
      size_t off = 0;
      for (size_t a = 0; a < rank; ++a) {
        const auto& tap = taps[a][static_cast<size_t>(pos[a])][choice[a]];
        w *= tap.second;
        off = off * static_cast<size_t>(in_dims[a]) + static_cast<size_t>(tap.first);
      }
      acc += w * x[off];
      size_t a = rank;
      while (a-- > 0) {
        if (++choice[a] < taps[a][static_cast<size_t>(pos[a])].size()) break;
        choice[a] = 0;
      }
      if (a == static_cast<size_t>(-1)) break;
    }
    y[flat] = static_cast<float>(acc);
  }
  return y;
}

}  // namespace cnnrt::test
