#include "common/image_guard.h"

#include <cstring>

namespace cnnrt_tools {

namespace {

// Reads bytes the way stb's JPEG parser does: past the end, get8 gives 0.
struct Reader {
  const uint8_t* p;
  size_t n, i = 0;
  bool at_end() const { return i >= n; }
  int get8() { return i < n ? p[i++] : (i++, 0); }
  int get16() {
    const int hi = get8();
    return hi << 8 | get8();
  }
  void skip(long k) { i += k > 0 ? static_cast<size_t>(k) : 0; }
};

constexpr int kNoMarker = 0xFF;  // stb's STBI__MARKER_none

// stbi__get_marker: a marker is 0xFF, any number of 0xFF fill bytes, then
// its code; anything else where a marker is expected is "no marker".
int next_marker(Reader& r) {
  if (r.get8() != 0xFF) return kNoMarker;
  int x = 0xFF;
  while (x == 0xFF && !r.at_end()) x = r.get8();
  return x == 0xFF ? kNoMarker : x;
}

// Walks the JPEG's segments as stb_image reads them, checking every DHT
// segment's code counts. Where stb would stop with an error anyway (an
// unknown marker, a bad table header) the walk stops too: stb never reaches
// what follows. The walk is more permissive than stb elsewhere (it skips
// stray bytes between segments), which only means it checks more.
bool jpeg_tables_safe(const uint8_t* p, size_t n, std::string* reason) {
  Reader r{p, n};
  if (next_marker(r) != 0xD8) return true;  // not a JPEG to stb
  while (!r.at_end()) {
    const int m = next_marker(r);
    if (m == kNoMarker) continue;
    if (m == 0xD9) return true;  // end of image
    if (m == 0xC4) {             // DHT: one or more tables
      long left = r.get16() - 2;
      while (left > 0 && !r.at_end()) {
        const int q = r.get8();
        if ((q >> 4) > 1 || (q & 15) > 3) return true;  // stb refuses the file here
        int codes = 0;
        for (int k = 0; k < 16; ++k) codes += r.get8();
        if (codes > 256) {
          *reason = "corrupt JPEG: a Huffman table declares " + std::to_string(codes) + " codes (at most 256)";
          return false;
        }
        r.skip(codes);
        left -= 17 + codes;
      }
      continue;
    }
    if (m == 0xDA) {  // SOS: header by length, then entropy-coded data
      r.skip(r.get16() - 2);
      // The data ends at the first 0xFF followed by a byte that is neither
      // 0 (a stuffed 0xFF) nor a restart marker; stb's bit reader never
      // reads past that point.
      while (!r.at_end()) {
        if (p[r.i] != 0xFF) {
          r.i++;
          continue;
        }
        size_t k = r.i + 1;
        while (k < n && p[k] == 0xFF) k++;
        if (k < n && (p[k] == 0 || (p[k] >= 0xD0 && p[k] <= 0xD7))) {
          r.i = k + 1;
          continue;
        }
        break;  // a marker: back to the segment walk
      }
      continue;
    }
    const bool has_length = m == 0xDB || m == 0xDD || m == 0xDC || m == 0xFE || (m >= 0xE0 && m <= 0xEF) ||
                            m == 0xC0 || m == 0xC1 || m == 0xC2;
    if (!has_length) return true;  // stb: "unknown marker", it stops
    const int length = r.get16();
    if (length < 2) return true;   // stb refuses a length below 2
    r.skip(length - 2);
  }
  return true;
}

bool starts_with(const uint8_t* p, size_t n, const char* magic, size_t len) {
  return n >= len && std::memcmp(p, magic, len) == 0;
}

}  // namespace

bool image_bytes_acceptable(const uint8_t* p, size_t n, std::string* reason) {
  if (starts_with(p, n, "8BPS", 4) || starts_with(p, n, "#?RADIANCE", 10) || starts_with(p, n, "#?RGBE", 6) ||
      starts_with(p, n, "\x53\x80\xF6\x34", 4)) {
    *reason = "PSD, HDR and PIC images are not accepted (use PNG, JPEG, BMP, TGA, GIF or PNM)";
    return false;
  }
  return jpeg_tables_safe(p, n, reason);
}

}  // namespace cnnrt_tools
