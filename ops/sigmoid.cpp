// Sigmoid (ai.onnx 1-28): 1 / (1 + exp(-x)), oneDNN's eltwise_logistic; fuses into Conv/Gemm,
// and x * Sigmoid(x) (SiLU) fuses as one swish post-op.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> sigmoid_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_logistic}};
}

// x * sigmoid(x) (SiLU / swish) is oneDNN's eltwise_swish with alpha 1.
bool sigmoid_as_gated(const Node&, PostOp* out) {
  out->algorithm = static_cast<int>(alg::eltwise_swish);
  out->alpha = 1.0f;
  out->beta = 0.0f;
  return true;
}

}  // namespace

void register_sigmoid(OpRegistry& r) {
  OpDef def = eltwise_op_def<sigmoid_chain>("Sigmoid", 1);
  def.as_gated_post_op = sigmoid_as_gated;
  r.add(def);
}

}  // namespace cnnrt
