#include "features/npy.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cnnrt_tools {

bool write_npy(const std::string& path, const float* data, const std::vector<int64_t>& dims, std::string* error) {
  std::string shape = "(";
  size_t count = 1;
  for (int64_t d : dims) {
    shape += std::to_string(d) + ",";
    if (dims.size() > 1) shape += " ";
    count *= static_cast<size_t>(d);
  }
  if (dims.size() > 1) shape.resize(shape.size() - 2);
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    *error = std::string("cannot create: ") + std::strerror(errno);
    return false;
  }
  const unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                      static_cast<unsigned char>(header.size() & 0xff),
                                      static_cast<unsigned char>(header.size() >> 8)};
  bool ok = std::fwrite(preamble, 1, 10, f) == 10 && std::fwrite(header.data(), 1, header.size(), f) == header.size();
  // .npy '<f4' is little-endian, as this machine's floats.
  ok = ok && (count == 0 || std::fwrite(data, sizeof(float), count, f) == count);
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) *error = std::string("write error: ") + std::strerror(errno);
  return ok;
}

}  // namespace cnnrt_tools
