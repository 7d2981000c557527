// JPEG decoding with libjpeg-turbo (its TurboJPEG API), not stb_image.
// Debian 12's stb_image (2.27) has known memory-safety bugs in its JPEG
// decoder (nothings/stb#1289, #1291: oversized Huffman tables written past
// their arrays, Huffman tables used before any was defined, a symbol index
// out of bounds), fixed upstream only in 2.28; fuzzing cnnrt-classify found
// them one after another. libjpeg-turbo is fuzzed continuously by OSS-Fuzz
// and refuses all of them. stb_image still decodes every other format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/image.h"

namespace cnnrt_tools {

// True for bytes stb_image would take for a JPEG: 0xFF, any number of 0xFF
// fill bytes, then the start-of-image code 0xD8. Every such file goes to
// decode_jpeg, so stb never parses a JPEG.
bool looks_like_jpeg(const uint8_t* bytes, size_t size);

// Decodes a JPEG into 1 channel (grayscale files) or 3 (RGB, also from CMYK
// and YCCK). Refuses, with libjpeg-turbo's reason, a file with any error or
// warning (a truncated file, corrupt entropy-coded data: libjpeg would fill
// what is missing with grey), more than max_pixels pixels (checked from the
// header, before anything is allocated), and a progressive file with an
// unreasonable number of scans (each scan re-decodes the whole image).
bool decode_jpeg(const uint8_t* bytes, size_t size, int64_t max_pixels, Image* out, std::string* error);

}  // namespace cnnrt_tools
