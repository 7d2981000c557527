// Shape broadcasting shared by the elementwise ops: ONNX's numpy-style
// (multidirectional) rule, unidirectional broadcasting (PRelu's slope), the
// legacy `broadcast`/`axis` attributes of opsets before 7, and the element
// strides a plain loop needs to walk a broadcast operand.
#pragma once

#include <vector>

#include "runtime/attributes.h"
#include "runtime/tensor.h"

namespace cnnrt {

// numpy broadcast of two shapes (right-aligned; a dim of 1 stretches).
// Unknown dims (-1) are propagated: a known dim other than 1 wins over an
// unknown one. Fails if two known dims differ and neither is 1.
Result<Dims> broadcast_shapes(const Dims& a, const Dims& b);

// `in` right-aligned to `rank` dims with leading 1s (rank >= in.size()).
Dims pad_leading(const Dims& in, size_t rank);

// True if `in` can be broadcast to `out` by numpy's rule alone (every dim
// of the right-aligned `in` is 1 or equal; unknown dims accepted).
bool broadcasts_to(const Dims& in, const Dims& out);

// Opsets before 7 (Add, Sub, Mul, Div, Pow, Equal, Less, Greater, ...): B
// broadcasts to A only when the attribute broadcast=1, and then B's dims
// match A's contiguously starting at `axis` (default: aligned to the end).
// Returns B's dims padded to A's rank, or an error naming the mismatch.
Result<Dims> legacy_broadcast_dims(const Attributes& attrs, const Dims& a, const Dims& b);

// Per output dim, the element stride of a row-major tensor with dims `in`
// (right-aligned against `out`), 0 where `in` is broadcast.
std::vector<int64_t> broadcast_strides(const Dims& in, const Dims& out);

// Calls f(out_index, offsets) for every element of `out` in row-major order,
// where offsets[k] is the element offset into operand k (whose strides are
// strides[k], from broadcast_strides).
template <class F>
void for_each_broadcast(const Dims& out, const std::vector<std::vector<int64_t>>& strides, F f) {
  const size_t rank = out.size(), n_ops = strides.size();
  int64_t total = 1;
  for (int64_t d : out) total *= d;
  if (total == 0) return;
  std::vector<int64_t> index(rank, 0), offsets(n_ops, 0);
  for (int64_t i = 0; i < total; ++i) {
    f(i, offsets);
    // Odometer step: bump the last dim, carry into earlier ones.
    for (size_t d = rank; d-- > 0;) {
      ++index[d];
      for (size_t k = 0; k < n_ops; ++k) offsets[k] += strides[k][d];
      if (index[d] < out[d]) break;
      for (size_t k = 0; k < n_ops; ++k) offsets[k] -= strides[k][d] * index[d];
      index[d] = 0;
    }
  }
}

}  // namespace cnnrt
