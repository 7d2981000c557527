// Sigmoid (ai.onnx 1-28): 1 / (1 + exp(-x)), oneDNN's eltwise_logistic; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> sigmoid_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_logistic}};
}

}  // namespace

void register_sigmoid(OpRegistry& r) { r.add(eltwise_op_def<sigmoid_chain>("Sigmoid", 1)); }

}  // namespace cnnrt
