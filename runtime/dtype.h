// Element types. The numbering is ONNX's TensorProto.DataType, so the loader
// and the C API (cnnrt_dtype) can pass values through unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cnnrt {

enum class DType : int {
  undefined = 0,
  f32 = 1,
  u8 = 2,
  i8 = 3,
  u16 = 4,
  i16 = 5,
  i32 = 6,
  i64 = 7,
  string = 8,
  boolean = 9,
  f16 = 10,
  f64 = 11,
  u32 = 12,
  u64 = 13,
  bf16 = 16,
};

// Bytes per element; 0 for types the runtime cannot hold in a tensor
// (undefined, string, and any number it does not know).
size_t dtype_size(DType t);

// The ONNX name ("float", "int64", ...), for messages; also for the ONNX
// types the enum lacks (float8e4m3fn, int4, ...); "type#N" for numbers ONNX
// does not define.
std::string dtype_name(DType t);

// True for the numbers above that name a storable type.
bool dtype_is_known(int onnx_type);

}  // namespace cnnrt
