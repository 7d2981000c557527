// Image decoding and classifier preprocessing, fuzzed as one unit: JPEG,
// PNG or BMP bytes -> [1, 3, size, size] float NCHW.
//
// This is a self-contained stand-in for cnnrt-classify's preprocessing (being
// written on another branch): the same steps a classifier takes, so the
// decoder and resizer are fuzzed with the limits they run under. Once the
// tool's own entry point exists, the fuzz target should call that instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cnnrt::fuzz {

struct PreprocessOptions {
  int size = 224;           // output height and width
  float crop = 0.875f;      // the centre square kept, as a fraction of the shorter side (224/256)
  float mean[3] = {0.485f, 0.456f, 0.406f};
  float stddev[3] = {0.229f, 0.224f, 0.225f};
  float scale = 1.0f / 255; // applied to 0..255 before mean/stddev
  bool bgr = false;         // channel order of the output
  uint64_t max_pixels = uint64_t{64} << 20;  // images above this are refused before decoding
};

// Decodes `bytes` and fills `out` (3 * size * size floats, NCHW). Returns
// false with `error` set for anything it cannot or will not decode.
bool preprocess_image(const uint8_t* bytes, size_t n, const PreprocessOptions& options, std::vector<float>* out,
                      std::string* error);

}  // namespace cnnrt::fuzz
