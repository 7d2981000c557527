// Elu (ai.onnx 1-28): x for x > 0, alpha * (exp(x) - 1) below, on oneDNN's eltwise_elu;
// fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> elu_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(n.attrs, "alpha", 1.0f));
  return EltwiseChain{{alg::eltwise_elu, alpha, 0.0f}};
}

}  // namespace

void register_elu(OpRegistry& r) { r.add(eltwise_op_def<elu_chain>("Elu", 1)); }

}  // namespace cnnrt
