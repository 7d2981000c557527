// Log (ai.onnx 1-28), natural logarithm, on oneDNN's eltwise_log; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> log_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_log}};
}

}  // namespace

void register_log(OpRegistry& r) { r.add(eltwise_op_def<log_chain>("Log", 1)); }

}  // namespace cnnrt
