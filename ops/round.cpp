// Round (ai.onnx 11-28): round half to even, oneDNN's eltwise_round (nearbyint in the
// default rounding mode); fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> round_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_round}};
}

}  // namespace

void register_round(OpRegistry& r) { r.add(eltwise_op_def<round_chain>("Round", 11)); }

}  // namespace cnnrt
