// HardSigmoid (ai.onnx 1-28): max(0, min(1, alpha * x + beta)). oneDNN 2.6 has no
// hardsigmoid algorithm, so it is eltwise_linear(alpha, beta) then
// eltwise_clip(0, 1): one binary primitive with two post-ops standalone, two
// post-ops when fused into Conv/Gemm (as in MobileNetV3's squeeze-excite);
// x * HardSigmoid(x) (hardswish as PyTorch exports it before opset 14) fuses
// as one hardswish post-op.
#include <cmath>

#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> hardsigmoid_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(n.attrs, "alpha", 0.2f));
  CNNRT_ASSIGN_OR_RETURN(float beta, finite_float_attr(n.attrs, "beta", 0.5f));
  return EltwiseChain{{alg::eltwise_linear, alpha, beta}, {alg::eltwise_clip, 0.0f, 1.0f}};
}

// x * HardSigmoid(x) with alpha 1/6 and beta 1/2 (how PyTorch exports
// hardswish before opset 14) is oneDNN's eltwise_hardswish.
bool hardsigmoid_as_gated(const Node& node, PostOp* out) {
  auto alpha = node.attrs.get_float("alpha", 0.2f);
  auto beta = node.attrs.get_float("beta", 0.5f);
  if (!alpha.ok() || !beta.ok() || std::fabs(alpha.value() - 1.0f / 6.0f) > 1e-7f || beta.value() != 0.5f) return false;
  out->algorithm = static_cast<int>(alg::eltwise_hardswish);
  out->alpha = 0.0f;
  out->beta = 0.0f;
  return true;
}

}  // namespace

void register_hardsigmoid(OpRegistry& r) {
  OpDef def = eltwise_op_def<hardsigmoid_chain>("HardSigmoid", 1);
  def.as_gated_post_op = hardsigmoid_as_gated;
  r.add(def);
}

}  // namespace cnnrt
