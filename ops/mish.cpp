// Mish (ai.onnx 18-28): x * tanh(softplus(x)) on oneDNN's eltwise_mish; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> mish_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_mish}};
}

}  // namespace

void register_mish(OpRegistry& r) { r.add(eltwise_op_def<mish_chain>("Mish", 18)); }

}  // namespace cnnrt
