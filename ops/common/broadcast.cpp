#include "ops/common/broadcast.h"

#include <algorithm>

namespace cnnrt {

Result<Dims> broadcast_shapes(const Dims& a, const Dims& b) {
  const size_t rank = std::max(a.size(), b.size());
  const Dims pa = pad_leading(a, rank), pb = pad_leading(b, rank);
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t x = pa[i], y = pb[i];
    if (x == y)
      out[i] = x;
    else if (x == 1)
      out[i] = y;
    else if (y == 1)
      out[i] = x;
    else if (x < 0)
      out[i] = y;  // unknown vs a known size: the known one (or the model is wrong)
    else if (y < 0)
      out[i] = x;
    else
      return invalid_model("shapes ", dims_str(a), " and ", dims_str(b), " cannot be broadcast together (dim ",
                           i, ": ", x, " vs ", y, ")");
  }
  return out;
}

Dims pad_leading(const Dims& in, size_t rank) {
  Dims out(rank - std::min(rank, in.size()), 1);
  out.insert(out.end(), in.begin(), in.end());
  return out;
}

bool broadcasts_to(const Dims& in, const Dims& out) {
  if (in.size() > out.size()) return false;
  const Dims p = pad_leading(in, out.size());
  for (size_t i = 0; i < out.size(); ++i)
    if (p[i] != 1 && p[i] != out[i] && p[i] >= 0 && out[i] >= 0) return false;
  return true;
}

Result<Dims> legacy_broadcast_dims(const Attributes& attrs, const Dims& a, const Dims& b) {
  CNNRT_ASSIGN_OR_RETURN(int64_t broadcast, attrs.get_int("broadcast", 0));
  if (broadcast == 0) {
    bool same = a.size() == b.size();
    for (size_t i = 0; same && i < a.size(); ++i) same = a[i] == b[i] || a[i] < 0 || b[i] < 0;
    if (!same)
      return invalid_model("A ", dims_str(a), " and B ", dims_str(b),
                           " must have the same shape unless the attribute broadcast is 1");
    return b;
  }
  const int64_t ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b.size());
  if (rb > ra) return invalid_model("B ", dims_str(b), " has a higher rank than A ", dims_str(a));
  CNNRT_ASSIGN_OR_RETURN(int64_t axis, attrs.get_int("axis", ra - rb));
  if (axis < 0) axis += ra;
  if (axis < 0 || axis + rb > ra)
    return invalid_model("axis ", axis, " does not place B ", dims_str(b), " inside A ", dims_str(a));
  Dims padded(static_cast<size_t>(ra), 1);
  for (int64_t i = 0; i < rb; ++i) {
    const int64_t x = a[axis + i], y = b[i];
    if (y != 1 && x != y && x >= 0 && y >= 0)
      return invalid_model("B ", dims_str(b), " does not match A ", dims_str(a), " at axis ", axis);
    padded[axis + i] = y;
  }
  return padded;
}

std::vector<int64_t> broadcast_strides(const Dims& in, const Dims& out) {
  const Dims p = pad_leading(in, out.size());
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  for (size_t i = out.size(); i-- > 0;) {
    strides[i] = p[i] == 1 ? 0 : stride;
    stride *= p[i];
  }
  return strides;
}

}  // namespace cnnrt
