#include "runtime/tensor.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace cnnrt {

Result<int64_t> checked_numel(const Dims& dims, const std::string& what) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) return invalid_model(what, ": negative dimension ", d, " in shape ", dims_str(dims));
    // Even an empty tensor (another dim is 0) may not carry an absurd dim:
    // shape arithmetic downstream must stay far from int64 overflow.
    if (d > kMaxDim) return out_of_memory(what, ": dimension ", d, " in shape ", dims_str(dims), " is too large");
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      return out_of_memory(what, ": element count of shape ", dims_str(dims), " overflows");
    n *= d;
  }
  return n;
}

Result<size_t> checked_bytes(const Dims& dims, DType dtype, const std::string& what) {
  CNNRT_ASSIGN_OR_RETURN(int64_t n, checked_numel(dims, what));
  const size_t esize = dtype_size(dtype);
  if (esize == 0) return unsupported(what, ": element type ", dtype_name(dtype), " is not supported");
  if (static_cast<uint64_t>(n) > kMaxTensorBytes / esize)
    return out_of_memory(what, ": shape ", dims_str(dims), " of ", dtype_name(dtype), " needs more than the ",
                         kMaxTensorBytes >> 30, " GiB limit per tensor");
  return static_cast<size_t>(n) * esize;
}

bool fits_bytes(const Dims& dims, DType dtype, size_t* bytes) {
  const size_t esize = dtype_size(dtype);
  if (esize == 0) return false;
  uint64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) return false;
    if (d != 0 && n > kMaxTensorBytes / static_cast<uint64_t>(d)) return false;
    n *= static_cast<uint64_t>(d);
  }
  if (n > kMaxTensorBytes / esize) return false;
  *bytes = static_cast<size_t>(n) * esize;
  return true;
}

int64_t numel(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::string dims_str(const Dims& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += dims[i] < 0 ? "?" : std::to_string(dims[i]);
  }
  return s + "]";
}

std::shared_ptr<uint8_t> aligned_bytes(size_t bytes) {
  const size_t rounded = (bytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (!p) throw std::bad_alloc();
  return std::shared_ptr<uint8_t>(static_cast<uint8_t*>(p), [](uint8_t* q) { std::free(q); });
}

Result<std::shared_ptr<TensorData>> TensorData::make(DType dtype, Dims dims, const std::string& what) {
  CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(dims, dtype, what));
  auto t = std::make_shared<TensorData>();
  t->dtype = dtype;
  t->dims = std::move(dims);
  t->bytes = bytes;
  t->storage = aligned_bytes(bytes);
  std::memset(t->storage.get(), 0, bytes);
  return t;
}

template <class Out>
static Out read_element(const TensorData& t, int64_t i) {
  const uint8_t* p = t.storage.get();
  switch (t.dtype) {
    case DType::f32: return static_cast<Out>(reinterpret_cast<const float*>(p)[i]);
    case DType::f64: return static_cast<Out>(reinterpret_cast<const double*>(p)[i]);
    case DType::i64: return static_cast<Out>(reinterpret_cast<const int64_t*>(p)[i]);
    case DType::i32: return static_cast<Out>(reinterpret_cast<const int32_t*>(p)[i]);
    case DType::i16: return static_cast<Out>(reinterpret_cast<const int16_t*>(p)[i]);
    case DType::i8: return static_cast<Out>(reinterpret_cast<const int8_t*>(p)[i]);
    case DType::u8: return static_cast<Out>(p[i]);
    case DType::boolean: return static_cast<Out>(p[i] != 0);
    case DType::u16: return static_cast<Out>(reinterpret_cast<const uint16_t*>(p)[i]);
    case DType::u32: return static_cast<Out>(reinterpret_cast<const uint32_t*>(p)[i]);
    case DType::u64: return static_cast<Out>(reinterpret_cast<const uint64_t*>(p)[i]);
    default: return Out{};
  }
}

int64_t element_as_int(const TensorData& t, int64_t i) {
  if (t.dtype == DType::f32 || t.dtype == DType::f64) {
    const double v = read_element<double>(t, i);
    // Saturate instead of invoking undefined behaviour on huge floats.
    if (!(v == v)) return 0;
    if (v >= 9.2e18) return std::numeric_limits<int64_t>::max();
    if (v <= -9.2e18) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(v);
  }
  return read_element<int64_t>(t, i);
}

double element_as_double(const TensorData& t, int64_t i) { return read_element<double>(t, i); }

}  // namespace cnnrt
