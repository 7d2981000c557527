// Checks an image file's bytes before stb_image sees them. Debian 12's
// stb_image (2.27) trusts a JPEG's Huffman table sizes: a DHT segment whose
// 16 code counts add up to more than 256 makes it write past a 256-entry
// table (fixed upstream in 2.28). Even stbi_info parses those tables. And
// stb decodes formats the tools do not offer (PSD, HDR, PIC), each more
// code that could be fed a hostile file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cnnrt_tools {

// False, with the reason, for a JPEG stb would read an oversized Huffman
// table from, and for PSD, Radiance HDR and Softimage PIC files.
bool image_bytes_acceptable(const uint8_t* bytes, size_t size, std::string* reason);

}  // namespace cnnrt_tools
