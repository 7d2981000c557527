// Integer element types for the plain loops of elementwise ops. oneDNN
// computes integer data through float32 and saturates, while ONNX integer
// arithmetic is exact and wraps (uint8 200 + 100 = 44; int32 sums beyond
// 2^24 must stay exact for shape and index arithmetic), so integer tensors
// take a loop over the exact C++ type.
#pragma once

#include <cstdint>
#include <type_traits>

#include "runtime/dtype.h"

namespace cnnrt {

template <class T>
struct TypeTag {
  using type = T;
};

inline bool is_integer_type(DType t) {
  switch (t) {
    case DType::i8: case DType::u8: case DType::i16: case DType::u16:
    case DType::i32: case DType::u32: case DType::i64: case DType::u64: return true;
    default: return false;
  }
}

// Calls f(TypeTag<T>{}) with T the C++ type of integer dtype t; t must be
// an integer type (is_integer_type).
template <class F>
auto visit_integer_type(DType t, F&& f) {
  switch (t) {
    case DType::i8: return f(TypeTag<int8_t>{});
    case DType::u8: return f(TypeTag<uint8_t>{});
    case DType::i16: return f(TypeTag<int16_t>{});
    case DType::u16: return f(TypeTag<uint16_t>{});
    case DType::i32: return f(TypeTag<int32_t>{});
    case DType::u32: return f(TypeTag<uint32_t>{});
    case DType::u64: return f(TypeTag<uint64_t>{});
    default: return f(TypeTag<int64_t>{});
  }
}

// Wrapping arithmetic (no signed-overflow UB): computed in the unsigned
// type of the same width, as two's complement hardware does.
template <class T>
T wrap_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}
template <class T>
T wrap_sub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
}
template <class T>
T wrap_mul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  // Promote narrow types to unsigned int so the product cannot overflow int.
  using W = std::conditional_t<(sizeof(U) < sizeof(unsigned)), unsigned, U>;
  return static_cast<T>(static_cast<U>(static_cast<W>(static_cast<U>(a)) * static_cast<W>(static_cast<U>(b))));
}

}  // namespace cnnrt
