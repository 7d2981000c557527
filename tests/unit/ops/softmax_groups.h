// Shared by test_softmax.cpp, test_logsoftmax.cpp and test_hardmax.cpp: the
// groups of elements those ops normalise over, for their naive references.
// From opset 13 a group is the elements along `axis`; before it the input
// is coerced to 2-D at `axis`, and a group is a whole row (every dim from
// axis on).
#pragma once

#include <cstdint>
#include <vector>

namespace cnnrt::test {

// Calls f(len, at) once per group: len elements, the k-th at flat index
// at(k) of the row-major input. A negative axis counts from the back.
template <class F>
void for_each_softmax_group(const std::vector<int64_t>& dims, int64_t axis, bool coerce_2d, F f) {
  const int64_t rank = static_cast<int64_t>(dims.size());
  if (axis < 0) axis += rank;
  int64_t outer = 1, len = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (i < axis) outer *= dims[i];
    else if (i == axis || coerce_2d) len *= dims[i];
    else inner *= dims[i];
  }
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in)
      f(len, [=](int64_t k) { return static_cast<size_t>((o * len + k) * inner + in); });
}

}  // namespace cnnrt::test
