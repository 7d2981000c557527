// Sqrt (ai.onnx 1-28) on oneDNN's eltwise_sqrt (NaN for negative inputs); fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> sqrt_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_sqrt}};
}

}  // namespace

void register_sqrt(OpRegistry& r) { r.add(eltwise_op_def<sqrt_chain>("Sqrt", 1)); }

}  // namespace cnnrt
