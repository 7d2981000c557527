#include "common/image_truncation.h"

#include <cctype>
#include <cstdlib>

namespace cnnrt_tools {

namespace {

uint32_t le16(const uint8_t* p) { return p[0] | p[1] << 8; }
uint32_t le32(const uint8_t* p) { return le16(p) | static_cast<uint32_t>(le16(p + 2)) << 16; }

// The dimensions stb_image read, which a format's own parse must match.
struct Declared {
  int64_t w, h;
  bool matches(int64_t pw, int64_t ph) const { return pw == w && ph == h; }
};

bool refuse(const char* format, int64_t w, int64_t h, uint64_t needed, size_t size, std::string* reason) {
  *reason = std::string("truncated ") + format + ": its " + std::to_string(w) + "x" + std::to_string(h) +
            " pixels need at least " + std::to_string(needed) + " bytes, the file has " + std::to_string(size);
  return false;
}

// BMP: rows padded to 4 bytes, after the 14-byte file header and the DIB
// header. Only uncompressed pixel data (BI_RGB, BI_BITFIELDS) has a size
// fixed by the header.
bool bmp_complete(const uint8_t* p, size_t n, Declared d, std::string* reason) {
  if (n < 30 || p[0] != 'B' || p[1] != 'M') return true;
  const uint32_t dib = le32(p + 14);
  int64_t w, h;
  uint32_t bpp, compression = 0;
  if (dib == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
    w = le16(p + 18);
    h = le16(p + 20);
    bpp = le16(p + 24);
  } else {
    if (n < 34) return true;
    w = static_cast<int32_t>(le32(p + 18));
    h = std::llabs(static_cast<int32_t>(le32(p + 22)));  // negative: rows top to bottom
    bpp = le16(p + 28);
    compression = le32(p + 30);
  }
  // stb reads the compression as a signed int and refuses 1, 2 and 4 and
  // above; anything else, negative values included, it reads uncompressed.
  const int32_t method = static_cast<int32_t>(compression);
  if (method == 1 || method == 2 || method >= 4) return true;
  if (!d.matches(w, h) || bpp == 0 || bpp > 64) return true;
  const uint64_t row_bits = static_cast<uint64_t>(w) * bpp;
  const uint64_t stride = (row_bits + 31) / 32 * 4;
  const uint64_t needed = 14 + uint64_t{dib} + stride * (h - 1) + (row_bits + 7) / 8;
  return needed <= n || refuse("BMP", w, h, needed, n, reason);
}

// TGA: an 18-byte header, an image ID, then pixels. Types 1-3 store them
// raw; 9-11 run-length encode them, at best one packet header plus one
// pixel per 128 pixels.
bool tga_complete(const uint8_t* p, size_t n, Declared d, std::string* reason) {
  if (n < 18) return true;
  const int type = p[2];
  const bool raw = type >= 1 && type <= 3, rle = type >= 9 && type <= 11;
  if (!raw && !rle) return true;
  if (p[1] > 1) return true;  // not a TGA colour-map type: stb does not take it for one
  const int64_t w = le16(p + 12), h = le16(p + 14);
  const int bpp = p[16];
  if (!d.matches(w, h) || bpp == 0 || bpp > 32) return true;
  const uint64_t bytes_per_pixel = (bpp + 7) / 8, pixels = static_cast<uint64_t>(w) * h;
  const uint64_t data = raw ? pixels * bytes_per_pixel : (pixels + 127) / 128 * (1 + bytes_per_pixel);
  const uint64_t needed = 18 + uint64_t{p[0]} + data;
  return needed <= n || refuse("TGA", w, h, needed, n, reason);
}

// Binary PNM (P5 gray, P6 RGB): a text header (magic, width, height,
// maxval, '#' comments anywhere), one whitespace byte, then the samples.
bool pnm_complete(const uint8_t* p, size_t n, Declared d, std::string* reason) {
  if (n < 3 || p[0] != 'P' || (p[1] != '5' && p[1] != '6')) return true;
  size_t i = 2;
  int64_t values[3];
  for (int64_t& v : values) {
    while (i < n && (std::isspace(p[i]) || p[i] == '#')) {
      if (p[i] == '#')
        while (i < n && p[i] != '\n' && p[i] != '\r') ++i;
      else
        ++i;
    }
    if (i >= n || !std::isdigit(p[i])) return true;  // stb refuses a malformed header
    v = 0;
    while (i < n && std::isdigit(p[i]) && v < (int64_t{1} << 40)) v = v * 10 + (p[i++] - '0');
  }
  const int64_t w = values[0], h = values[1], maxval = values[2];
  if (!d.matches(w, h) || maxval == 0) return true;
  const uint64_t samples = static_cast<uint64_t>(w) * h * (p[1] == '6' ? 3 : 1);
  const uint64_t needed = i + 1 + samples * (maxval > 255 ? 2 : 1);
  return needed <= n || refuse("PNM", w, h, needed, n, reason);
}

}  // namespace

bool image_data_complete(const uint8_t* bytes, size_t size, int width, int height, std::string* reason) {
  const Declared d{width, height};
  return bmp_complete(bytes, size, d, reason) && tga_complete(bytes, size, d, reason) &&
         pnm_complete(bytes, size, d, reason);
}

}  // namespace cnnrt_tools
