#include "tests/fuzz/image_preprocess.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>

// stb compiled here (not Debian's prebuilt libstb) so the fuzzer's coverage
// instrumentation and the sanitizers see inside the decoders.
// Only the formats a classifier is handed in practice: every other decoder
// in stb_image is attack surface with no use here.
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_MAX_DIMENSIONS (1 << 16)
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_STDIO
#define STBI_FAILURE_USERMSG
#include <stb_image.h>
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>

namespace cnnrt::fuzz {

namespace {

// Debian's stb_image (v2.27) trusts a JPEG's Huffman table sizes: a DHT
// segment whose 16 code counts add up to more than 256 makes
// stbi__build_huffman write past its 257-entry table (fixed upstream in
// v2.28). Such files are refused before stb sees them. Rather than track
// stb's parser state, every FF C4 in a file stb would take for a JPEG is
// read as a DHT segment the way stb reads one (bytes past the end count as
// 0): in a valid JPEG, FF C4 appears nowhere else (scan data stuffs FF 00).
bool jpeg_huffman_tables_ok(const uint8_t* p, size_t n) {
  // stb's JPEG test: FF, any number of fill FFs, then D8 (start of image).
  size_t i = 0;
  if (n == 0 || p[0] != 0xFF) return true;
  while (i < n && p[i] == 0xFF) ++i;
  if (i >= n || p[i] != 0xD8) return true;
  auto at = [&](size_t k) -> size_t { return k < n ? p[k] : 0; };
  for (size_t m = 0; m + 1 < n; ++m) {
    if (p[m] != 0xFF || p[m + 1] != 0xC4) continue;
    long remaining = static_cast<long>(at(m + 2) << 8 | at(m + 3)) - 2;
    size_t t = m + 4;
    while (remaining > 0 && t < n) {
      size_t count = 0;
      for (size_t k = 1; k <= 16; ++k) count += at(t + k);
      if (count > 256) return false;
      t += 17 + count;
      remaining -= static_cast<long>(17 + count);
    }
  }
  return true;
}

}  // namespace

bool preprocess_image(const uint8_t* bytes, size_t n, const PreprocessOptions& o, std::vector<float>* out,
                      std::string* error) {
  if (!bytes || n == 0) return *error = "empty image", false;
  if (n > static_cast<size_t>(INT_MAX)) return *error = "image file over 2 GiB", false;
  if (o.size < 1 || o.size > 4096 || !(o.crop > 0 && o.crop <= 1))
    return *error = "bad preprocessing options", false;
  if (!jpeg_huffman_tables_ok(bytes, n)) return *error = "corrupt JPEG (Huffman table too large)", false;
  // Size first: a few header bytes can claim a gigapixel image.
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes, static_cast<int>(n), &w, &h, &channels))
    return *error = std::string("cannot decode: ") + stbi_failure_reason(), false;
  if (w < 1 || h < 1 || static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > o.max_pixels)
    return *error = "image dimensions out of range", false;
  int dw = 0, dh = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(bytes, static_cast<int>(n), &dw, &dh, &channels, 3), stbi_image_free);
  if (!pixels) return *error = std::string("cannot decode: ") + stbi_failure_reason(), false;
  // Some formats' headers disagree with what decodes; trust the decoder, re-check.
  if (dw < 1 || dh < 1 || static_cast<uint64_t>(dw) * static_cast<uint64_t>(dh) > o.max_pixels)
    return *error = "decoded dimensions out of range", false;

  // Centre crop of the shorter side, then resize: the same result as "resize
  // the shorter side to size/crop, centre-crop size", without ever making an
  // image as long as an extreme aspect ratio would ask for.
  const int side = std::min(dw, dh);
  const int keep = std::max(1, static_cast<int>(std::lround(side * static_cast<double>(o.crop))));
  const int x0 = (dw - keep) / 2, y0 = (dh - keep) / 2;
  const stbi_uc* crop = pixels.get() + (static_cast<size_t>(y0) * dw + x0) * 3;
  std::vector<stbi_uc> resized(static_cast<size_t>(o.size) * o.size * 3);
  if (!stbir_resize_uint8(crop, keep, keep, dw * 3, resized.data(), o.size, o.size, o.size * 3, 3))
    return *error = "resize failed", false;

  const size_t plane = static_cast<size_t>(o.size) * o.size;
  out->assign(3 * plane, 0.0f);
  for (size_t p = 0; p < plane; ++p)
    for (int c = 0; c < 3; ++c) {
      const int src = o.bgr ? 2 - c : c;
      (*out)[c * plane + p] = (resized[p * 3 + src] * o.scale - o.mean[c]) / o.stddev[c];
    }
  return true;
}

}  // namespace cnnrt::fuzz
