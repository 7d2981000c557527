// Abs (ai.onnx 1-28) on oneDNN's eltwise_abs; fuses into Conv/Gemm. Integer types
// (opset 6+): an exact wrapping loop (ops/common/integer_unary.h).
#include "ops/common/integer_unary.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> abs_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_abs}};
}

}  // namespace

void register_abs(OpRegistry& r) { r.add(float_or_integer_unary_def<abs_chain, IntegerAbs>("Abs")); }

}  // namespace cnnrt
