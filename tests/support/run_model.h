// Test support: runs an in-memory model through the public C API and
// returns its outputs as host vectors, plus small numeric helpers.
#pragma once

#include <cstdint>
#include <cstring>
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
  std::vector<uint8_t> raw;  // any other type: the row-major bytes

  static HostTensor floats(std::string name, std::vector<int64_t> dims, std::vector<float> values);
  static HostTensor ints(std::string name, std::vector<int64_t> dims, std::vector<int64_t> values);
  // Any other element type (int32, uint8, bool, ...), from its values.
  template <class T>
  static HostTensor typed(std::string name, cnnrt_dtype dtype, std::vector<int64_t> dims, const std::vector<T>& values) {
    HostTensor t;
    t.name = std::move(name);
    t.dtype = dtype;
    t.dims = std::move(dims);
    t.raw.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(t.raw.data(), values.data(), t.raw.size());
    return t;
  }
  // The raw bytes read as T.
  template <class T>
  std::vector<T> as() const {
    std::vector<T> v(raw.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), raw.data(), v.size() * sizeof(T));
    return v;
  }
  size_t count() const;
};

// A model and a session over it, both destroyed (session first) with it:
// for tests that drive the C API themselves.
struct Handles {
  cnnrt_model* model = nullptr;
  cnnrt_session* session = nullptr;
  Handles() = default;
  Handles(const Handles&) = delete;
  Handles& operator=(const Handles&) = delete;
  ~Handles();
  // The op of each step ("Conv", "Reorder", ...) of a profiling session.
  std::vector<std::string> step_ops() const;
  // The implementation of each step (oneDNN's name, or cnnrt:...).
  std::vector<std::string> step_impls() const;
};

struct RunOptions {
  int threads = 1;
  std::vector<std::string> extra_outputs;
  cnnrt_conv_algorithm conv_algorithm = CNNRT_CONV_AUTO;
  cnnrt_precision precision = CNNRT_PRECISION_FP32;  // bf16 only: int8 needs calibration inputs
  bool profile = false;  // fill RunResult::step_ops
  cnnrt_batch_mode batch_mode = CNNRT_BATCH_AUTO;
};

struct RunResult {
  cnnrt_status status = CNNRT_OK;
  std::string error;  // cnnrt_last_error() when status != CNNRT_OK
  std::vector<HostTensor> outputs;
  std::vector<std::string> step_ops;    // with RunOptions::profile: each step's op ("Conv", "Reorder", ...)
  std::vector<std::string> step_impls;  // and its implementation ("brg:avx512_core", ...)
  int64_t runs_per_batch = 0;         // cnnrt_session_runs_per_batch after the run
  std::vector<int64_t> step_runs;     // with RunOptions::profile: each step's cnnrt_session_step_runs_per_batch
};

// Loads `model_bytes`, runs it once on `inputs` (matched by name) and
// copies every output out. A failure at any stage is reported in status.
RunResult run_model(const std::string& model_bytes, const std::vector<HostTensor>& inputs,
                    const RunOptions& options = RunOptions());

// The status and message of loading a model and creating a session.
RunResult load_model(const std::string& model_bytes);

// The number of elements of a tensor of these dims (1 for a scalar).
size_t element_count(const std::vector<int64_t>& dims);

// Deterministic values in [lo, hi).
std::vector<float> random_floats(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f);

// Largest |a - b| over two equally long vectors (inf if lengths differ).
double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace cnnrt::test
