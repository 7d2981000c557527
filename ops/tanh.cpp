// Tanh (ai.onnx 1-28) on oneDNN's eltwise_tanh; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> tanh_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_tanh}};
}

}  // namespace

void register_tanh(OpRegistry& r) { r.add(eltwise_op_def<tanh_chain>("Tanh", 1)); }

}  // namespace cnnrt
