// Feature maps as pictures: the channels of a tensor laid out as tiles in a
// near-square grid, each tile stretched to 0..255 on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cnnrt_tools {

struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // row-major, one byte per pixel
};

// Maps a tile's values linearly so its minimum is 0 and its maximum 255
// (rounded); a constant tile becomes 0. NaN becomes 0 and infinities the
// ends of the scale; they are left out of the minimum and maximum.
std::vector<uint8_t> normalize_tile(const float* values, size_t count);

// `tiles` tiles of tile_h x tile_w values, stored one after another, drawn
// in ceil(sqrt(tiles)) columns (and as many rows as needed), separated by
// `gap` pixels of mid gray (128), each pixel repeated `zoom` times in x and y.
GrayImage tile_grid(const float* data, int tiles, int tile_h, int tile_w, int zoom = 1, int gap = 1);

}  // namespace cnnrt_tools
