#include "ops/common/shape_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ops/common/half.h"

namespace cnnrt {

bool dims_known(const Dims& dims) {
  return std::none_of(dims.begin(), dims.end(), [](int64_t d) { return d < 0; });
}

TensorPtr relabel_constant(const TensorData& t, Dims dims) {
  auto out = std::make_shared<TensorData>(t);
  out->dims = std::move(dims);
  return out;
}

namespace {

// double -> integer without undefined behaviour: NaN becomes 0 and values
// beyond the type's range saturate; otherwise truncation toward zero.
template <class T>
T to_int(double v) {
  if (std::isnan(v)) return 0;
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

template <class T>
void put(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

}  // namespace

Result<TensorPtr> make_scalar(DType dtype, double value) {
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(dtype, {1}, "scalar"));
  uint8_t* p = t->mutable_data();
  switch (dtype) {
    case DType::f32: put(p, static_cast<float>(value)); break;
    case DType::f64: put(p, value); break;
    case DType::f16: put(p, f16_from_double(value)); break;
    case DType::bf16: put(p, bf16_from_double(value)); break;
    case DType::boolean: put(p, static_cast<uint8_t>(value != 0)); break;
    case DType::i8: put(p, to_int<int8_t>(value)); break;
    case DType::u8: put(p, to_int<uint8_t>(value)); break;
    case DType::i16: put(p, to_int<int16_t>(value)); break;
    case DType::u16: put(p, to_int<uint16_t>(value)); break;
    case DType::i32: put(p, to_int<int32_t>(value)); break;
    case DType::u32: put(p, to_int<uint32_t>(value)); break;
    case DType::i64: put(p, to_int<int64_t>(value)); break;
    case DType::u64: put(p, to_int<uint64_t>(value)); break;
    default: return unsupported("no scalar of element type ", dtype_name(dtype));
  }
  return TensorPtr(t);
}

Result<TensorPtr> make_i64(Dims dims, const std::vector<int64_t>& values) {
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(DType::i64, std::move(dims), "shape values"));
  if (static_cast<int64_t>(values.size()) != t->count())
    return internal_error(values.size(), " values for shape ", dims_str(t->dims));
  if (!values.empty()) std::memcpy(t->mutable_data(), values.data(), values.size() * sizeof(int64_t));
  return TensorPtr(t);
}

}  // namespace cnnrt
