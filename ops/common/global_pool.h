// GlobalAveragePool and GlobalMaxPool: one window over every spatial dim of
// an [N, C, D1, ..., Dk] input, giving [N, C, 1, ..., 1].
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/status.h"

namespace cnnrt {

class InferContext;
class LowerContext;

// Checks one f32 input of rank >= 3 and sets the [N, C, 1, ...] output.
Status infer_global_pool(InferContext& ctx);

// `pool` is a pooling algorithm (pooling_max, pooling_avg_exclude_padding);
// `reduce` the matching reduction, used where pooling has no descriptor
// (more than 3 spatial dims). Works in the layout the input arrives in.
Status lower_global_pool(LowerContext& ctx, dnnl::algorithm pool, dnnl::algorithm reduce);

}  // namespace cnnrt
