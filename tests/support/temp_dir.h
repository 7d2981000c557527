// Test support: a fresh folder under the system temp dir (removed with the
// object) and writing a file into it.
#pragma once

#include <doctest/doctest.h>
#include <limits.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace cnnrt::test {

struct TempDir {
  std::string path;
  explicit TempDir(const char* prefix = "cnnrt-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    char real[PATH_MAX];
    REQUIRE(realpath(tmpl.c_str(), real) != nullptr);
    path = real;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

inline void write_file(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace cnnrt::test
