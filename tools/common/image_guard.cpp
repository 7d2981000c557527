#include "common/image_guard.h"

#include <cstring>

namespace cnnrt_tools {

namespace {

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
  return true;
}

}  // namespace cnnrt_tools
