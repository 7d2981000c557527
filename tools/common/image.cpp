#include "common/image.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <stb_image.h>

#include "common/image_guard.h"
#include "common/image_truncation.h"
#include "common/jpeg_decode.h"

namespace cnnrt_tools {

namespace {
constexpr size_t kMaxFileBytes = size_t{1} << 30;  // stb takes an int length
}  // namespace

std::string too_many_pixels(int64_t width, int64_t height, int64_t max_pixels) {
  return "the image is " + std::to_string(width) + "x" + std::to_string(height) + ", more than " +
         (max_pixels >= (1 << 20) ? std::to_string(max_pixels >> 20) + " Mpixels"
                                  : std::to_string(max_pixels) + " pixels");
}

bool load_image(const std::string& path, Image* out, std::string* error) {
  // Read the file first: the bytes are checked before stb parses them, and
  // a missing file is told apart from an undecodable one.
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (bytes.size() + got > kMaxFileBytes) {
      std::fclose(f);
      *error = "the file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB";
      return false;
    }
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  const bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) {
    *error = std::string("read error: ") + std::strerror(errno);
    return false;
  }
  if (bytes.empty()) {
    *error = "the file is empty";
    return false;
  }
  return decode_image(bytes.data(), bytes.size(), out, error);
}

bool decode_image(const uint8_t* bytes, size_t size, Image* out, std::string* error, int64_t max_pixels) {
  if (size == 0) {
    *error = "no image data";
    return false;
  }
  if (size > kMaxFileBytes) {
    *error = "the image is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB";
    return false;
  }
  if (!image_bytes_acceptable(bytes, size, error)) return false;
  const int64_t limit_pixels = std::clamp<int64_t>(max_pixels, 1, kMaxImagePixels);
  // stb_image never sees a JPEG, not even its header (jpeg_decode.h says why).
  if (looks_like_jpeg(bytes, size)) return decode_jpeg(bytes, size, limit_pixels, out, error);
  const int n_bytes = static_cast<int>(size);
  // The file's channel count decides gray or RGB; a file stb cannot even
  // identify still goes through the decoder, whose reason is more precise.
  int w = 0, h = 0, comp = 0;
  const bool identified = stbi_info_from_memory(bytes, n_bytes, &w, &h, &comp) != 0;
  const uint64_t limit = static_cast<uint64_t>(limit_pixels);
  if (identified && static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > limit) {
    *error = too_many_pixels(w, h, limit_pixels);
    return false;
  }
  if (identified && !image_data_complete(bytes, size, w, h, error)) return false;
  const int channels = identified && comp <= 2 ? 1 : 3;
  std::unique_ptr<unsigned char, void (*)(void*)> data(
      stbi_load_from_memory(bytes, n_bytes, &w, &h, &comp, channels), stbi_image_free);
  if (!data) {
    const std::string why = stbi_failure_reason() ? stbi_failure_reason() : "unknown error";
    *error = "cannot decode image: " + why;
    if (why == "unknown image type") *error += " (supported: PNG, JPEG, BMP, TGA, GIF, PNM)";
    return false;
  }
  if (w < 1 || h < 1 || static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > limit) {
    *error = "the decoded image is " + std::to_string(w) + "x" + std::to_string(h) + ": out of range";
    return false;
  }
  out->width = w;
  out->height = h;
  out->channels = channels;
  const size_t n = static_cast<size_t>(w) * h * channels;
  out->pixels.resize(n);
  for (size_t i = 0; i < n; ++i) out->pixels[i] = data.get()[i];
  return true;
}

Image center_crop(const Image& in, int width, int height) {
  // Half-way offsets round to even, as Python's round() in torchvision.
  const int top = static_cast<int>(std::nearbyint((in.height - height) / 2.0));
  const int left = static_cast<int>(std::nearbyint((in.width - width) / 2.0));
  Image r;
  r.width = width;
  r.height = height;
  r.channels = in.channels;
  r.pixels.resize(static_cast<size_t>(width) * height * in.channels);
  const size_t row = static_cast<size_t>(width) * in.channels;
  for (int y = 0; y < height; ++y)
    std::memcpy(&r.pixels[y * row], &in.pixels[(static_cast<size_t>(top + y) * in.width + left) * in.channels],
                row * sizeof(float));
  return r;
}

Image convert_channels(const Image& in, int channels) {
  if (in.channels == channels) return in;
  Image r;
  r.width = in.width;
  r.height = in.height;
  r.channels = channels;
  const size_t n = static_cast<size_t>(in.width) * in.height;
  r.pixels.resize(n * channels);
  for (size_t i = 0; i < n; ++i) {
    if (channels == 1) {
      const float* p = &in.pixels[i * 3];
      r.pixels[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
    } else {
      for (int c = 0; c < 3; ++c) r.pixels[i * 3 + c] = in.pixels[i];
    }
  }
  return r;
}

}  // namespace cnnrt_tools
