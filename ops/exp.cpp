// Exp (ai.onnx 1-28) on oneDNN's eltwise_exp; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> exp_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_exp}};
}

}  // namespace

void register_exp(OpRegistry& r) { r.add(eltwise_op_def<exp_chain>("Exp", 1)); }

}  // namespace cnnrt
