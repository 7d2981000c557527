// HardSigmoid (ai.onnx 1-28): max(0, min(1, alpha * x + beta)). oneDNN 2.6 has no
// hardsigmoid algorithm, so it is eltwise_linear(alpha, beta) then
// eltwise_clip(0, 1): one binary primitive with two post-ops standalone, two
// post-ops when fused into Conv/Gemm (as in MobileNetV3's squeeze-excite).
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> hardsigmoid_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(n.attrs, "alpha", 0.2f));
  CNNRT_ASSIGN_OR_RETURN(float beta, finite_float_attr(n.attrs, "beta", 0.5f));
  return EltwiseChain{{alg::eltwise_linear, alpha, beta}, {alg::eltwise_clip, 0.0f, 1.0f}};
}

}  // namespace

void register_hardsigmoid(OpRegistry& r) { r.add(eltwise_op_def<hardsigmoid_chain>("HardSigmoid", 1)); }

}  // namespace cnnrt
