// Test support: runs an in-memory model through the public C API and
// returns its outputs as host vectors, plus small numeric helpers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cnnrt.h"

namespace cnnrt::test {

struct HostTensor {
  std::string name;
  cnnrt_dtype dtype = CNNRT_FLOAT32;
  std::vector<int64_t> dims;
  std::vector<float> f;      // FLOAT32 data
  std::vector<int64_t> i64;  // INT64 data

  static HostTensor floats(std::string name, std::vector<int64_t> dims, std::vector<float> values);
  static HostTensor ints(std::string name, std::vector<int64_t> dims, std::vector<int64_t> values);
  size_t count() const;
};

struct RunOptions {
  int threads = 1;
  std::vector<std::string> extra_outputs;
  cnnrt_conv_algorithm conv_algorithm = CNNRT_CONV_AUTO;
};

struct RunResult {
  cnnrt_status status = CNNRT_OK;
  std::string error;  // cnnrt_last_error() when status != CNNRT_OK
  std::vector<HostTensor> outputs;
};

// Loads `model_bytes`, runs it once on `inputs` (matched by name) and
// copies every output out. A failure at any stage is reported in status.
RunResult run_model(const std::string& model_bytes, const std::vector<HostTensor>& inputs,
                    const RunOptions& options = RunOptions());

// The status and message of loading a model and creating a session.
RunResult load_model(const std::string& model_bytes);

// Deterministic values in [lo, hi).
std::vector<float> random_floats(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f);

// Largest |a - b| over two equally long vectors (inf if lengths differ).
double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace cnnrt::test
