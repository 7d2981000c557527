// The ten ONNX reductions (ReduceMean, ReduceSum, ReduceMax, ReduceMin,
// ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum,
// ReduceLogSumExp) share their attributes and lowering; each op file only
// names its oneDNN algorithm and when its axes became an input.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/status.h"

namespace cnnrt {

class InferContext;
class LowerContext;

struct ReduceSpec {
  dnnl::algorithm alg;  // a dnnl reduction algorithm
  float p = 0;          // for the norm_lp algorithms
  enum class Finish {
    none,
    log,          // log of the result (ReduceLogSum)
    log_sum_exp,  // max-shifted log(sum(exp(x))) (ReduceLogSumExp)
  } finish = Finish::none;
  // The opset from which axes is an optional input (and
  // noop_with_empty_axes exists); before it, axes is an attribute.
  int axes_input_opset = 18;
  float empty_value = 0;  // the result of reducing an empty set
  // The result for a one-element set, f(x), where no reduced dim is larger
  // than 1 (oneDNN's reduction needs at least one): an eltwise algorithm, or
  // undef for f(x) = x.
  dnnl::algorithm single = dnnl::algorithm::undef;
};

Status infer_reduce(InferContext& ctx, const ReduceSpec& spec);
Status lower_reduce(LowerContext& ctx, const ReduceSpec& spec);

}  // namespace cnnrt
