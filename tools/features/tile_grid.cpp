#include "features/tile_grid.h"

#include <algorithm>
#include <cmath>

namespace cnnrt_tools {

std::vector<uint8_t> normalize_tile(const float* v, size_t n) {
  float lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; ++i)
    if (std::isfinite(v[i])) {
      lo = std::min(lo, v[i]);
      hi = std::max(hi, v[i]);
    }
  std::vector<uint8_t> out(n, 0);
  const double span = static_cast<double>(hi) - lo;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    if (std::isinf(v[i])) {
      out[i] = v[i] > 0 ? 255 : 0;
      continue;
    }
    if (span > 0) out[i] = static_cast<uint8_t>(std::lround((v[i] - lo) / span * 255.0));
  }
  return out;
}

GrayImage tile_grid(const float* data, int tiles, int tile_h, int tile_w, int zoom, int gap) {
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(tiles))));
  const int rows = (tiles + cols - 1) / cols;
  if (tiles <= 1) gap = 0;
  const int th = tile_h * zoom, tw = tile_w * zoom;
  GrayImage img;
  img.width = cols * tw + (cols - 1) * gap;
  img.height = rows * th + (rows - 1) * gap;
  img.pixels.assign(static_cast<size_t>(img.width) * img.height, 128);
  const size_t tile_size = static_cast<size_t>(tile_h) * tile_w;
  for (int t = 0; t < tiles; ++t) {
    const std::vector<uint8_t> tile = normalize_tile(data + t * tile_size, tile_size);
    const int x0 = (t % cols) * (tw + gap), y0 = (t / cols) * (th + gap);
    for (int y = 0; y < th; ++y)
      for (int x = 0; x < tw; ++x)
        img.pixels[static_cast<size_t>(y0 + y) * img.width + x0 + x] = tile[(y / zoom) * tile_w + x / zoom];
  }
  return img;
}

}  // namespace cnnrt_tools
