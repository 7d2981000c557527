#include "runtime/dtype.h"

namespace cnnrt {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::u8: return 1;
    case DType::i8: return 1;
    case DType::u16: return 2;
    case DType::i16: return 2;
    case DType::i32: return 4;
    case DType::i64: return 8;
    case DType::boolean: return 1;
    case DType::f16: return 2;
    case DType::f64: return 8;
    case DType::u32: return 4;
    case DType::u64: return 8;
    case DType::bf16: return 2;
    case DType::undefined:
    case DType::string: return 0;
  }
  return 0;
}

std::string dtype_name(DType t) {
  switch (t) {
    case DType::undefined: return "undefined";
    case DType::f32: return "float";
    case DType::u8: return "uint8";
    case DType::i8: return "int8";
    case DType::u16: return "uint16";
    case DType::i16: return "int16";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::string: return "string";
    case DType::boolean: return "bool";
    case DType::f16: return "float16";
    case DType::f64: return "double";
    case DType::u32: return "uint32";
    case DType::u64: return "uint64";
    case DType::bf16: return "bfloat16";
  }
  // Types ONNX defines that cnnrt has no storage or compute for: named, so a
  // refusal says which one the model wanted (and tests/conformance can tell
  // a missing element type from another error by its name).
  switch (static_cast<int>(t)) {
    case 14: return "complex64";
    case 15: return "complex128";
    case 17: return "float8e4m3fn";
    case 18: return "float8e4m3fnuz";
    case 19: return "float8e5m2";
    case 20: return "float8e5m2fnuz";
    case 21: return "uint4";
    case 22: return "int4";
    case 23: return "float4e2m1";
    case 24: return "float8e8m0";
    case 25: return "uint2";
    case 26: return "int2";
    default: return "type#" + std::to_string(static_cast<int>(t));
  }
}

bool dtype_is_known(int onnx_type) {
  return onnx_type != 0 && onnx_type != 8 && dtype_size(static_cast<DType>(onnx_type)) != 0;
}

}  // namespace cnnrt
