// LeakyRelu (ai.onnx 1-28): x for x >= 0, alpha * x below, which is oneDNN's eltwise_relu with
// alpha as the negative slope; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> leakyrelu_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(float alpha, finite_float_attr(n.attrs, "alpha", 0.01f));
  return EltwiseChain{{alg::eltwise_relu, alpha, 0.0f}};
}

}  // namespace

void register_leakyrelu(OpRegistry& r) { r.add(eltwise_op_def<leakyrelu_chain>("LeakyRelu", 1)); }

}  // namespace cnnrt
