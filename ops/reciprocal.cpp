// Reciprocal (ai.onnx 1-28): 1/x as oneDNN's eltwise_pow(alpha 1, beta -1) (1/0 = inf, as
// IEEE division); fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> reciprocal_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_pow, 1.0f, -1.0f}};
}

}  // namespace

void register_reciprocal(OpRegistry& r) { r.add(eltwise_op_def<reciprocal_chain>("Reciprocal", 1)); }

}  // namespace cnnrt
