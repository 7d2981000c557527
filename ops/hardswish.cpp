// HardSwish (ai.onnx 14-28): x * max(0, min(1, x/6 + 1/2)), which is exactly oneDNN 2.6's
// eltwise_hardswish (x * relu6(x + 3) / 6); fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> hardswish_chain(const EltwiseNode&) {
  return EltwiseChain{{alg::eltwise_hardswish}};
}

}  // namespace

void register_hardswish(OpRegistry& r) { r.add(eltwise_op_def<hardswish_chain>("HardSwish", 14)); }

}  // namespace cnnrt
