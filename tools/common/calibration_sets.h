// Calibration inputs for int8 sessions (cnnrt_session_options.calibration_inputs)
// read from ONNX tensor files. Each path is one input set: a folder in the
// ONNX backend test layout (its input_0.pb, input_1.pb, ... in order) or a
// single .pb file (for a one-input model). Tensors bind by position.
#pragma once

#include <string>
#include <vector>

#include "cnnrt.h"

namespace cnnrt_tools {

class CalibrationSets {
 public:
  CalibrationSets() = default;
  CalibrationSets(const CalibrationSets&) = delete;
  CalibrationSets& operator=(const CalibrationSets&) = delete;
  ~CalibrationSets();

  // Reads every path; false with *error naming the file on failure.
  bool read(const std::vector<std::string>& paths, std::string* error);
  // Points options at the sets (valid while this object lives).
  void apply(cnnrt_session_options* options) const;
  size_t count() const { return count_; }

 private:
  std::vector<cnnrt_blob*> blobs_;
  std::vector<cnnrt_tensor> tensors_;
  size_t count_ = 0;
};

}  // namespace cnnrt_tools
