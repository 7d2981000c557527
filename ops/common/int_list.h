// Integer lists that ops read from attributes or, in newer opsets, from
// inputs (axes, shapes, pads, starts/ends, repeats, split sizes).
#pragma once

#include <vector>

#include "runtime/status.h"
#include "runtime/tensor.h"

namespace cnnrt {

// The elements of an integer (or float) tensor as int64.
std::vector<int64_t> tensor_ints(const TensorData& t);

// Reads a 1-D (or scalar) integer input's values; errors name the input.
Result<std::vector<int64_t>> int_list_input(const TensorData& t, const char* what);

// Axes made non-negative against rank; errors on an axis out of range or
// named twice.
Result<std::vector<int64_t>> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const char* what);

// "[1,2,3]" for messages.
std::string ints_str(const std::vector<int64_t>& v);

}  // namespace cnnrt
