// Celu (ai.onnx 12-28): max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) = alpha * elu(x /
// alpha, 1): eltwise_linear(1/alpha), then eltwise_elu(1) with alpha as its
// output scale (just elu when alpha is 1); fuses into Conv/Gemm as post-ops.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> celu_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(n.attrs, "alpha", 1.0f));
  if (alpha == 0.0f) return invalid_model("alpha must not be 0");
  if (alpha == 1.0f) return EltwiseChain{{alg::eltwise_elu, 1.0f, 0.0f}};
  return EltwiseChain{{alg::eltwise_linear, 1.0f / alpha, 0.0f}, {alg::eltwise_elu, 1.0f, 0.0f, alpha}};
}

}  // namespace

void register_celu(OpRegistry& r) { r.add(eltwise_op_def<celu_chain>("Celu", 12)); }

}  // namespace cnnrt
