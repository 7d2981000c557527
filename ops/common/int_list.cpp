#include "ops/common/int_list.h"

#include <algorithm>

namespace cnnrt {

std::vector<int64_t> tensor_ints(const TensorData& t) {
  std::vector<int64_t> out(static_cast<size_t>(t.count()));
  for (int64_t i = 0; i < t.count(); ++i) out[i] = element_as_int(t, i);
  return out;
}

Result<std::vector<int64_t>> int_list_input(const TensorData& t, const char* what) {
  if (t.dims.size() > 1) return invalid_model(what, " must be 1-D, got shape ", dims_str(t.dims));
  switch (t.dtype) {
    case DType::i64:
    case DType::i32:
    case DType::i16:
    case DType::i8:
    case DType::u8:
    case DType::u16:
    case DType::u32:
    case DType::u64: break;
    default: return invalid_model(what, " must be an integer tensor, got ", dtype_name(t.dtype));
  }
  return tensor_ints(t);
}

Result<std::vector<int64_t>> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const char* what) {
  if (axes.size() > static_cast<size_t>(std::max<int64_t>(rank, 0)))
    return invalid_model(what, " has ", axes.size(), " entries, more than the rank ", rank);
  std::vector<int64_t> out;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) return invalid_model(what, " ", ints_str(axes), ": axis ", a, " is out of range for rank ", rank);
    const int64_t n = a < 0 ? a + rank : a;
    if (std::find(out.begin(), out.end(), n) != out.end())
      return invalid_model(what, " ", ints_str(axes), " names axis ", n, " twice");
    out.push_back(n);
  }
  return out;
}

std::string ints_str(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace cnnrt
