// Neg (ai.onnx 1-28): -x as oneDNN's eltwise_linear(alpha -1, beta 0), exact; fuses into
// Conv/Gemm. Integer types (opset 6+): an exact wrapping loop (ops/common/integer_unary.h).
#include "ops/common/integer_unary.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> neg_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_linear, -1.0f, 0.0f}};
}

}  // namespace

void register_neg(OpRegistry& r) { r.add(float_or_integer_unary_def<neg_chain, IntegerNeg>("Neg")); }

}  // namespace cnnrt
