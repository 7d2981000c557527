// Refuses uncompressed image files too short for the pixels they declare.
// stb_image reads past the end of a BMP, TGA or PNM as zeros, so a 76-byte
// file declaring 8 x 4,194,310 pixels "decodes" to 100 MB of black and
// costs seconds of resizing: a corrupt (truncated) file, refused the way
// PIL refuses one. Compressed formats are left to their decoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cnnrt_tools {

// False, with the reason, for an uncompressed BMP, TGA or binary PNM whose
// pixel data cannot fit in the file; true for everything else. `width` and
// `height` are what stb_image read from the header (stbi_info): a format's
// check applies only where its own header parse agrees, so a file stb takes
// for another format is never judged by the wrong layout. The bound is the
// smallest the format allows (no padding after the last row, no palette),
// so no file stb would decode in full is refused. Sizes must be at most
// kMaxImagePixels (checked before), which keeps the arithmetic in range.
bool image_data_complete(const uint8_t* bytes, size_t size, int width, int height, std::string* reason);

}  // namespace cnnrt_tools
