// Activation fusion: Conv -> Relu becomes one convolution with a ReLU
// post-op, saving a full pass over the activation. Which ops can be fused
// (and how) is declared by the ops themselves through OpDef.
#include <algorithm>

#include "runtime/op_registry.h"
#include "runtime/passes/passes.h"

namespace cnnrt {
namespace {

// oneDNN 2.6.3's jit post-op injectors (brgconv, jit_1x1, binary's jit:uni)
// give every eltwise post-op of one algorithm the alpha/beta of the first
// one (Conv -> Clip(0,6) -> HardSigmoid's clip(0,1) would clip to [0,6]
// twice). So a producer never gets the same eltwise algorithm twice; the
// later activation runs on its own instead.
bool repeats_eltwise_algorithm(const std::vector<PostOp>& have, const std::vector<PostOp>& add) {
  std::vector<int> seen;
  for (const auto* list : {&have, &add})
    for (const PostOp& p : *list) {
      if (p.kind != PostOp::Kind::eltwise) continue;
      if (std::find(seen.begin(), seen.end(), p.algorithm) != seen.end()) return true;
      seen.push_back(p.algorithm);
    }
  return false;
}

}  // namespace

void fuse_post_ops(Graph& g, const std::vector<int>& keep) {
  auto consumers = g.consumers();
  std::vector<bool> dead(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& act = g.nodes[i];
    if (dead[i] || !act.def || !act.def->as_post_op || act.inputs.empty() || act.inputs[0] < 0) continue;
    const int x = act.inputs[0];
    const int p = g.values[x].producer;
    if (p < 0 || dead[p]) continue;
    Node& producer = g.nodes[p];
    if (!producer.def || !producer.def->accepts_post_ops) continue;
    // The intermediate must disappear entirely: one consumer, not kept, and
    // produced as the producer's first output.
    if (consumers[x].size() != 1 || std::find(keep.begin(), keep.end(), x) != keep.end()) continue;
    if (producer.outputs.empty() || producer.outputs[0] != x) continue;
    if (g.values[x].dtype != DType::f32) continue;
    std::vector<PostOp> ops;
    if (!act.def->as_post_op(g, act, &ops) || ops.empty()) continue;
    if (repeats_eltwise_algorithm(producer.post_ops, ops)) continue;
    for (PostOp& op : ops) {
      op.from_node = act.name;
      producer.post_ops.push_back(op);
    }
    // The producer now writes the activation's output directly.
    const int y = act.outputs[0];
    producer.outputs[0] = y;
    g.values[y].producer = p;
    dead[i] = true;
  }
  remove_nodes(g, dead);
}

}  // namespace cnnrt
