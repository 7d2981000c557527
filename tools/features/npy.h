// Writes float32 tensors as NumPy .npy files (format 1.0), so feature maps
// can be checked or analysed with exact values, not just looked at.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cnnrt_tools {

bool write_npy(const std::string& path, const float* data, const std::vector<int64_t>& dims, std::string* error);

}  // namespace cnnrt_tools
