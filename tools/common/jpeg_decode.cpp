#include "common/jpeg_decode.h"

#include <turbojpeg.h>

#include <memory>
#include <vector>

namespace cnnrt_tools {

namespace {

struct TjHandleDeleter {
  void operator()(void* h) const { tjDestroy(h); }
};
using TjHandle = std::unique_ptr<void, TjHandleDeleter>;

std::string tj_reason(void* handle) {
  const char* why = tjGetErrorStr2(handle);
  return why && *why ? why : "unknown error";
}

// CMYK as Adobe writes it (inverted; libjpeg also turns YCCK into it):
// each colour channel scaled by K, rounded as x*k/255, the way stb_image
// (and so cnnrt before libjpeg-turbo) converted it.
uint8_t scale_by_k(unsigned x, unsigned k) {
  const unsigned t = x * k + 128;
  return static_cast<uint8_t>((t + (t >> 8)) >> 8);
}

}  // namespace

bool looks_like_jpeg(const uint8_t* bytes, size_t size) {
  if (size < 2 || bytes[0] != 0xFF) return false;
  size_t i = 1;
  while (i < size && bytes[i] == 0xFF) ++i;
  return i < size && bytes[i] == 0xD8;
}

bool decode_jpeg(const uint8_t* bytes, size_t size, int64_t max_pixels, Image* out, std::string* error) {
  TjHandle handle(tjInitDecompress());
  if (!handle) {
    *error = "cannot decode JPEG: " + tj_reason(nullptr);
    return false;
  }
  int w = 0, h = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(handle.get(), bytes, size, &w, &h, &subsampling, &colorspace) != 0) {
    *error = "corrupt JPEG: " + tj_reason(handle.get());
    return false;
  }
  const uint64_t pixels = static_cast<uint64_t>(w) * static_cast<uint64_t>(h);
  if (w < 1 || h < 1 || pixels > static_cast<uint64_t>(max_pixels)) {
    *error = too_many_pixels(w, h, max_pixels);
    return false;
  }
  const bool gray = colorspace == TJCS_GRAY;
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  const int format = gray ? TJPF_GRAY : cmyk ? TJPF_CMYK : TJPF_RGB;
  const int decoded_channels = tjPixelSize[format];
  std::vector<uint8_t> decoded(pixels * decoded_channels);
  const int flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
  if (tjDecompress2(handle.get(), bytes, size, decoded.data(), w, 0, h, format, flags) != 0) {
    *error = "corrupt JPEG: " + tj_reason(handle.get());
    return false;
  }
  out->width = w;
  out->height = h;
  out->channels = gray ? 1 : 3;
  out->pixels.resize(pixels * out->channels);
  if (!cmyk) {
    for (size_t i = 0; i < decoded.size(); ++i) out->pixels[i] = decoded[i];
    return true;
  }
  for (size_t p = 0; p < pixels; ++p) {
    const uint8_t* px = &decoded[p * 4];
    for (int c = 0; c < 3; ++c) out->pixels[p * 3 + c] = scale_by_k(px[c], px[3]);
  }
  return true;
}

}  // namespace cnnrt_tools
