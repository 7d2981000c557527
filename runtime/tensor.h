// TensorData: an immutable, typed, dense (row-major) block of elements. It
// holds initializers, Constant-node values and folded constants; a model and
// all its sessions share them through shared_ptr, never copying the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/dtype.h"
#include "runtime/status.h"

namespace cnnrt {

using Dims = std::vector<int64_t>;

// Refuse any single tensor above this size before allocating it. Large
// enough for a 256-image batch of VGG activations, small enough that a
// hostile "10^12 elements" declaration is refused instead of attempted.
constexpr uint64_t kMaxTensorBytes = uint64_t{8} << 30;

// No single dimension may exceed this, even in a tensor with no elements.
constexpr int64_t kMaxDim = int64_t{1} << 40;

// Product of dims with overflow, negative and kMaxDim checks; an error
// names `what`.
Result<int64_t> checked_numel(const Dims& dims, const std::string& what);

// Bytes for dims of dtype, refusing sizes above kMaxTensorBytes.
Result<size_t> checked_bytes(const Dims& dims, DType dtype, const std::string& what);

// The same check without building a message (for per-run paths that must
// not allocate): false where checked_bytes would fail.
bool fits_bytes(const Dims& dims, DType dtype, size_t* bytes);

// Product of dims; callers guarantee dims were checked.
int64_t numel(const Dims& dims);

// "[1,3,224,224]" ("?" for unknown dims).
std::string dims_str(const Dims& dims);

// 64-byte aligned heap storage (what oneDNN kernels like to read).
std::shared_ptr<uint8_t> aligned_bytes(size_t bytes);

struct TensorData {
  DType dtype = DType::undefined;
  Dims dims;
  std::shared_ptr<uint8_t> storage;  // numel(dims) * dtype_size(dtype) bytes
  size_t bytes = 0;

  const void* data() const { return storage.get(); }
  template <class T>
  const T* as() const { return reinterpret_cast<const T*>(storage.get()); }
  int64_t count() const { return numel(dims); }

  // Zero-filled tensor; fails on size limits.
  static Result<std::shared_ptr<TensorData>> make(DType dtype, Dims dims, const std::string& what);
  uint8_t* mutable_data() { return storage.get(); }
};

using TensorPtr = std::shared_ptr<const TensorData>;

// Reads element i of an integer or float tensor as int64 / double (for
// attributes-as-inputs like shapes, axes, pads, scalar bounds).
int64_t element_as_int(const TensorData& t, int64_t i);
double element_as_double(const TensorData& t, int64_t i);

}  // namespace cnnrt
