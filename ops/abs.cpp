// Abs (ai.onnx 1-28) on oneDNN's eltwise_abs; fuses into Conv/Gemm. Float32 only: the
// integer forms (opset 6+) are refused, oneDNN's eltwise has no integer types.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> abs_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_abs}};
}

}  // namespace

void register_abs(OpRegistry& r) { r.add(eltwise_op_def<abs_chain>("Abs", 1)); }

}  // namespace cnnrt
