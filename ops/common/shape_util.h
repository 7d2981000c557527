// Small shape and constant helpers shared by the shape and data-movement ops.
#pragma once

#include "runtime/tensor.h"

namespace cnnrt {

// True if no dim is unknown (-1).
bool dims_known(const Dims& dims);

// The same elements under new dims (same count), sharing the bytes: how
// Reshape-like ops fold a constant input without copying it.
TensorPtr relabel_constant(const TensorData& t, Dims dims);

// A one-element tensor of dtype holding `value` (rounded to nearest for
// float16/bfloat16, truncated for integers, != 0 for bool).
Result<TensorPtr> make_scalar(DType dtype, double value);

// A tensor of dtype and dims from int64 values (the dtype must be an
// integer type): Shape's and Size's folded results.
Result<TensorPtr> make_i64(Dims dims, const std::vector<int64_t>& values);

}  // namespace cnnrt
