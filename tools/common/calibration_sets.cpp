#include "common/calibration_sets.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace cnnrt_tools {
namespace {

// input_K.pb files of a folder, in K order (input_2 before input_10).
std::vector<fs::path> input_files(const fs::path& dir) {
  std::vector<std::pair<long, fs::path>> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("input_", 0) == 0 && e.path().extension() == ".pb" && !e.is_directory())
      found.emplace_back(std::atol(name.c_str() + 6), e.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

}  // namespace

CalibrationSets::~CalibrationSets() {
  for (cnnrt_blob*& b : blobs_) cnnrt_blob_destroy(&b);
}

bool CalibrationSets::read(const std::vector<std::string>& paths, std::string* error) {
  size_t per_set = 0;
  for (const std::string& p : paths) {
    std::vector<fs::path> files = fs::is_directory(p) ? input_files(p) : std::vector<fs::path>{p};
    if (files.empty()) {
      *error = p + ": no input_N.pb files";
      return false;
    }
    if (count_ > 0 && files.size() != per_set) {
      *error = p + ": " + std::to_string(files.size()) + " inputs, the first set has " + std::to_string(per_set);
      return false;
    }
    per_set = files.size();
    for (const fs::path& f : files) {
      cnnrt_blob* blob = nullptr;
      if (cnnrt_blob_read_file(f.c_str(), &blob) != CNNRT_OK) {
        *error = cnnrt_last_error();
        return false;
      }
      blobs_.push_back(blob);
      cnnrt_tensor t;
      cnnrt_blob_tensor(blob, &t);
      t.name = nullptr;  // by position: input_K feeds the model's input K
      tensors_.push_back(t);
    }
    ++count_;
  }
  return true;
}

void CalibrationSets::apply(cnnrt_session_options* options) const {
  options->calibration_inputs = tensors_.data();
  options->calibration_count = count_;
}

}  // namespace cnnrt_tools
