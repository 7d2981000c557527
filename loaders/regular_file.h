// Reading the files a model names (the model itself, its external data)
// without trusting them: only regular files are read, because a FIFO would
// block the loader forever and a device like /dev/zero never ends; sizes are
// known before anything is allocated.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/status.h"

namespace cnnrt {

class RegularFile {
 public:
  // Opens `path` for reading. Fails (io_error, message without the path)
  // if it cannot be opened or is not a regular file. Never blocks.
  static Result<RegularFile> open(const std::string& path);

  RegularFile(RegularFile&& other) noexcept;
  RegularFile& operator=(RegularFile&& other) noexcept;
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  ~RegularFile();

  uint64_t size() const { return size_; }
  // The open descriptor (owned by this object), for streaming readers.
  int fd() const { return fd_; }
  // Reads `n` bytes at `offset`; fails (io_error) on a short read.
  Status read(uint64_t offset, size_t n, std::string* out) const;

 private:
  RegularFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace cnnrt
