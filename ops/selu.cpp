// Selu (ai.onnx 1-28): gamma * (x for x > 0, alpha * (exp(x) - 1) below) = gamma * elu(x,
// alpha): eltwise_elu with gamma as the eltwise output scale; fuses into
// Conv/Gemm as one post-op.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> selu_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(n.attrs, "alpha", 1.67326319217681884765625f));
  CNNRT_ASSIGN_OR_RETURN(float gamma, finite_float_attr(n.attrs, "gamma", 1.05070102214813232421875f));
  return EltwiseChain{{alg::eltwise_elu, alpha, 0.0f, gamma}};
}

}  // namespace

void register_selu(OpRegistry& r) { r.add(eltwise_op_def<selu_chain>("Selu", 1)); }

}  // namespace cnnrt
