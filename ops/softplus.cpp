// Softplus (ai.onnx 1-28): log(1 + exp(x)), oneDNN 2.6's eltwise_soft_relu (which returns x for
// large x instead of overflowing; its absolute error is about 2e-6 for very
// negative x); fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> softplus_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_soft_relu}};
}

}  // namespace

void register_softplus(OpRegistry& r) { r.add(eltwise_op_def<softplus_chain>("Softplus", 1)); }

}  // namespace cnnrt
