// Neg (ai.onnx 1-28): -x as oneDNN's eltwise_linear(alpha -1, beta 0), exact; fuses into
// Conv/Gemm. Float32 only: oneDNN's eltwise has no integer types.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> neg_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_linear, -1.0f, 0.0f}};
}

}  // namespace

void register_neg(OpRegistry& r) { r.add(eltwise_op_def<neg_chain>("Neg", 1)); }

}  // namespace cnnrt
