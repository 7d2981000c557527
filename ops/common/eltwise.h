// Elementwise activations that oneDNN computes as a chain of eltwise
// algorithms (Sigmoid = logistic, HardSigmoid = linear then clip, Selu = elu
// then linear, ...). An op describes its chain once; the same chain lowers
// the op standalone and folds it into a producer (Conv, Gemm) as post-ops.
//
// An op file needs only the chain:
//   Result<EltwiseChain> sigmoid_chain(const EltwiseNode&) { return EltwiseChain{{alg::eltwise_logistic}}; }
//   void register_sigmoid(OpRegistry& r) { r.add(eltwise_op_def<sigmoid_chain>("Sigmoid", 1)); }
#pragma once

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/graph.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {

struct EltwiseStep {
  dnnl::algorithm alg = dnnl::algorithm::undef;
  float alpha = 0, beta = 0;
  float scale = 1;  // scale * alg(x, alpha, beta), as oneDNN's eltwise post-ops have it
};
using EltwiseChain = std::vector<EltwiseStep>;

// What a chain may depend on: attributes, opset, and constant inputs.
struct EltwiseNode {
  const Attributes& attrs;
  int opset;
  std::vector<bool> present;                 // per input: given (not omitted)
  std::vector<const TensorData*> constants;  // per input: its data if constant

  bool has_input(size_t i) const { return i < present.size() && present[i]; }
  const TensorData* constant(size_t i) const { return i < constants.size() ? constants[i] : nullptr; }
};

EltwiseNode eltwise_node(const InferContext& ctx);
EltwiseNode eltwise_node(const LowerContext& ctx);
EltwiseNode eltwise_node(const Graph& g, const Node& n);

using ChainFn = Result<EltwiseChain> (*)(const EltwiseNode&);

// Runs `chain` on input 0 into output 0, in the input's layout and in place
// when nothing else reads the input: one eltwise primitive for a single
// step, else one binary primitive (x * 1) carrying the steps as post-ops.
Status lower_eltwise_chain(LowerContext& ctx, const EltwiseChain& chain);

// The chain as eltwise post-ops for a producer.
void append_post_ops(const EltwiseChain& chain, std::vector<PostOp>* out);

// Float32 in, same shape out; `max_inputs` for ops with optional inputs.
Status infer_float_unary(InferContext& ctx, size_t max_inputs = 1);

template <ChainFn F>
Status infer_eltwise(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(infer_float_unary(ctx));
  auto chain = F(eltwise_node(ctx));  // validates the attributes
  return chain.status();
}

template <ChainFn F>
Status lower_eltwise(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(EltwiseChain chain, F(eltwise_node(ctx)));
  return lower_eltwise_chain(ctx, chain);
}

template <ChainFn F>
bool eltwise_as_post_op(const Graph& g, const Node& n, std::vector<PostOp>* out) {
  auto chain = F(eltwise_node(g, n));
  if (!chain.ok()) return false;
  append_post_ops(chain.value(), out);
  return true;
}

// An OpDef for a float32 activation described by chain F, from first_opset
// to the newest.
template <ChainFn F>
OpDef eltwise_op_def(const char* op_type, int first_opset) {
  OpDef def;
  def.op_type = op_type;
  def.first_opset = first_opset;
  def.infer = infer_eltwise<F>;
  def.lower = lower_eltwise<F>;
  def.as_post_op = eltwise_as_post_op<F>;
  return def;
}

// A float attribute that must be finite (alpha, beta, gamma, ...).
Result<float> finite_float_attr(const Attributes& attrs, const char* name, float fallback);

}  // namespace cnnrt
