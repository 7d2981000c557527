// Gelu (ai.onnx 20-28): x * Phi(x) on oneDNN's eltwise_gelu_erf, or its tanh approximation
// (approximate = "tanh") on eltwise_gelu_tanh; fuses into Conv/Gemm.
#include "ops/common/eltwise.h"

namespace cnnrt {
namespace {

using alg = dnnl::algorithm;

Result<EltwiseChain> gelu_chain(const EltwiseNode& n) {
  CNNRT_ASSIGN_OR_RETURN(std::string approximate, n.attrs.get_string("approximate", "none"));
  if (approximate == "none") return EltwiseChain{{alg::eltwise_gelu_erf}};
  if (approximate == "tanh") return EltwiseChain{{alg::eltwise_gelu_tanh}};
  return invalid_model("approximate '", approximate, "' is not one of none, tanh");
}

}  // namespace

void register_gelu(OpRegistry& r) { r.add(eltwise_op_def<gelu_chain>("Gelu", 20)); }

}  // namespace cnnrt
