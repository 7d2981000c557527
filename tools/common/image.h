// Images for the tools: decoding (JPEG through libjpeg-turbo; PNG, BMP, TGA,
// GIF and PNM through stb_image), resizing (resize.cpp) and cropping, on
// float pixels in 0..255, rows top to bottom, channels interleaved (HWC).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cnnrt_tools {

// The largest image the tools decode or make by resizing: 64 Mpixels
// (768 MiB as RGB floats).
constexpr int64_t kMaxImagePixels = int64_t{1} << 26;

struct Image {
  int width = 0, height = 0;
  int channels = 0;           // 1 (gray) or 3 (RGB)
  std::vector<float> pixels;  // height * width * channels values in 0..255

  float at(int y, int x, int c) const { return pixels[(static_cast<size_t>(y) * width + x) * channels + c]; }
};

// Decodes an image file. Gray images (with or without alpha) give 1
// channel, everything else 3 (RGB); alpha is dropped, not blended. On
// failure returns false and sets *error to the reason (the caller names the
// file).
bool load_image(const std::string& path, Image* out, std::string* error);

// The same for an image file already in memory (what load_image does after
// reading the file; the fuzz target calls it directly). Images of more than
// max_pixels are refused before decoding.
bool decode_image(const uint8_t* bytes, size_t size, Image* out, std::string* error,
                  int64_t max_pixels = kMaxImagePixels);

// The message for an image refused by its size: "the image is WxH, more
// than 64 Mpixels" (or "N pixels" for a limit under a Mpixel).
std::string too_many_pixels(int64_t width, int64_t height, int64_t max_pixels);

// Resizes to width x height with a triangle (bilinear) filter that averages
// over the whole footprint when shrinking, like PIL's BILINEAR; edges clamp.
// Takes time proportional to the input plus the output pixels.
bool resize_image(const Image& in, int width, int height, Image* out, std::string* error);

// The width x height window centred in the image (rounding the offset like
// torchvision's CenterCrop: halves to even). The window must fit.
Image center_crop(const Image& in, int width, int height);

// Copies with the channel count changed: 3 -> 1 by ITU-R BT.601 luma
// (0.299 R + 0.587 G + 0.114 B, as PIL's "L"), 1 -> 3 by repeating the value.
Image convert_channels(const Image& in, int channels);

}  // namespace cnnrt_tools
