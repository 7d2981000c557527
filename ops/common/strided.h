// Strided views: a region of a tensor described by element strides, and the
// copies between two such regions. Data-movement ops (Transpose, Slice,
// Split, Concat, Pad, Expand, Tile, DepthToSpace, ...) are one or a few
// copies between views. A copy runs as a oneDNN reorder when the element
// type has a oneDNN type and no stride is negative (oneDNN refuses
// negative strides), else as a plain loop (int64, bool, double, reversed
// slices).
#pragma once

#include <utility>

#include "runtime/lower_context.h"

namespace cnnrt {

struct StridedView {
  Dims dims;           // the region's shape
  Dims strides;        // elements between neighbours in each dim; 0 repeats, negative walks backwards
  int64_t offset = 0;  // element offset of index [0, ..., 0] in the tensor
};

// Row-major element strides of dims (size-0 dims count as 1).
Dims row_major_strides(const Dims& dims);
StridedView row_major_view(const Dims& dims);

// True if the view addresses the tensor's first numel(dims) elements in
// row-major order (ignoring dims of size 1): a copy of it is the identity.
bool is_row_major(const StridedView& v);

// The element strides of tensor t, if its layout has no inner blocks
// (row-major, channels-last or any other order of dims); tensors without a
// oneDNN descriptor (int64, bool, ...) are row-major. False for blocked
// layouts such as nChw16c.
bool strides_of(const ProgTensor& t, Dims* strides);

// Input i in whatever layout its producer chose (row-major for types
// without a oneDNN descriptor): for ops that pass tensors through.
Result<int> input_any_layout(LowerContext& ctx, size_t i);

// Input i with the element strides of its layout: the producer's own layout
// when it has no inner blocks, else a row-major copy. Rank-0 inputs are
// seen as [1].
Result<std::pair<int, StridedView>> input_strided(LowerContext& ctx, size_t i);

// Output i in the same order of dims as `like` (the input it is cut from),
// so a channels-last producer keeps a channels-last consumer; row-major when
// `like` is row-major, blocked, or the type has no oneDNN descriptor.
Result<std::pair<int, StridedView>> output_like(LowerContext& ctx, size_t i, const ProgTensor& like);

// Output i in row-major layout, with its view.
Result<std::pair<int, StridedView>> output_row_major(LowerContext& ctx, size_t i);

// Adds a step copying region `sv` of tensor src into region `dv` of tensor
// dst (same dims, same element type). Nothing is added for an empty region.
Status add_copy(LowerContext& ctx, int src, const StridedView& sv, int dst, const StridedView& dv);

// Adds a step writing element 0 of tensor `value` (same element type as
// dst) to every element of region `dv` of dst.
Status add_fill(LowerContext& ctx, int value, int dst, const StridedView& dv);

}  // namespace cnnrt
