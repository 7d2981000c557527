// ArgMax and ArgMin: the index (int64) of the largest or smallest element
// along one axis, first occurrence unless select_last_index (opset 12+).
// The result is an index, so this is a plain loop rather than a oneDNN
// primitive (oneDNN has no arg-reduction).
#pragma once

#include "runtime/status.h"

namespace cnnrt {

class InferContext;
class LowerContext;

Status infer_arg_extreme(InferContext& ctx);
// `largest`: ArgMax; otherwise ArgMin.
Status lower_arg_extreme(LowerContext& ctx, bool largest);

}  // namespace cnnrt
