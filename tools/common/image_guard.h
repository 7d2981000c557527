// Checks an image file's bytes before any decoder sees them. stb_image
// decodes formats the tools do not offer (PSD, Radiance HDR, Softimage PIC):
// each is more code that could be fed a hostile file, so they are refused
// up front. (JPEG never reaches stb at all: jpeg_decode.h.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cnnrt_tools {

// False, with the reason, for PSD, Radiance HDR and Softimage PIC files.
bool image_bytes_acceptable(const uint8_t* bytes, size_t size, std::string* reason);

}  // namespace cnnrt_tools
