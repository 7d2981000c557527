// Post-op fusion: Conv -> Relu becomes one convolution with a ReLU post-op,
// and Conv -> Add(residual) one convolution accumulating into the residual's
// buffer, each saving a full pass over the activation. Which ops can be
// fused (and how) is declared by the ops themselves through OpDef.
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

namespace {

bool kept(const std::vector<int>& keep, int v) { return std::find(keep.begin(), keep.end(), v) != keep.end(); }

// Add(x, other) -> producer(x) with a sum post-op accumulating `other`.
bool fuse_sum(Graph& g, size_t add_index, const std::vector<std::vector<int>>& consumers,
              const std::vector<int>& keep, const std::vector<bool>& dead) {
  Node& add = g.nodes[add_index];
  if (add.inputs.size() != 2 || add.inputs[0] < 0 || add.inputs[1] < 0 || add.inputs[0] == add.inputs[1]) return false;
  if (!add.def->as_sum_post_op(add)) return false;
  for (int k = 0; k < 2; ++k) {
    const int x = add.inputs[k], other = add.inputs[1 - k];
    const int p = g.values[x].producer;
    if (p < 0 || dead[p]) continue;
    Node& producer = g.nodes[p];
    if (!producer.def || !producer.def->accepts_sum_post_op) continue;
    if (consumers[x].size() != 1 || kept(keep, x) || producer.outputs.empty() || producer.outputs[0] != x) continue;
    // Only one accumulation per primitive, and it must come first: an
    // activation already fused would otherwise apply before the add.
    if (!producer.post_ops.empty()) continue;
    // `other` must exist before the producer runs.
    const int q = g.values[other].producer;
    if (q >= static_cast<int>(p)) continue;
    if (g.values[other].dtype != DType::f32 || g.values[other].shape != g.values[x].shape) continue;
    PostOp op;
    op.kind = PostOp::Kind::sum;
    op.sum_input = other;
    op.from_node = add.name;
    producer.post_ops.push_back(op);
    const int y = add.outputs[0];
    producer.outputs[0] = y;
    g.values[y].producer = p;
    return true;
  }
  return false;
}

// Mul(x, act(x)) -> producer(x) with one gated post-op (swish, hardswish),
// when x feeds only the activation and the multiply.
bool fuse_gated(Graph& g, size_t mul_index, const std::vector<std::vector<int>>& consumers,
                const std::vector<int>& keep, std::vector<bool>& dead) {
  Node& mul = g.nodes[mul_index];
  if (mul.inputs.size() != 2 || mul.inputs[0] < 0 || mul.inputs[1] < 0 || mul.inputs[0] == mul.inputs[1]) return false;
  for (int k = 0; k < 2; ++k) {
    const int x = mul.inputs[k], gate = mul.inputs[1 - k];
    const int a = g.values[gate].producer, p = g.values[x].producer;
    if (a < 0 || p < 0 || dead[a] || dead[p]) continue;
    Node& act = g.nodes[a];
    Node& producer = g.nodes[p];
    if (!act.def || !act.def->as_gated_post_op || act.inputs.empty() || act.inputs[0] != x) continue;
    if (!producer.def || !producer.def->accepts_post_ops || producer.outputs.empty() || producer.outputs[0] != x) continue;
    if (consumers[x].size() != 2 || consumers[gate].size() != 1 || kept(keep, x) || kept(keep, gate)) continue;
    if (g.values[x].dtype != DType::f32 || g.values[gate].shape != g.values[x].shape ||
        g.values[mul.outputs[0]].shape != g.values[x].shape)
      continue;
    PostOp op;
    if (!act.def->as_gated_post_op(act, &op)) continue;
    op.kind = PostOp::Kind::eltwise;
    op.from_node = act.name + "+" + mul.name;
    if (repeats_eltwise_algorithm(producer.post_ops, {op})) continue;
    producer.post_ops.push_back(op);
    const int y = mul.outputs[0];
    producer.outputs[0] = y;
    g.values[y].producer = p;
    dead[a] = true;
    return true;
  }
  return false;
}

}  // namespace

void fuse_post_ops(Graph& g, const std::vector<int>& keep) {
  auto consumers = g.consumers();
  std::vector<bool> dead(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].def && g.nodes[i].def->as_sum_post_op && fuse_sum(g, i, consumers, keep, dead)) {
      dead[i] = true;
      consumers = g.consumers();  // the producer now reads `other`
      continue;
    }
    if (g.nodes[i].def && g.nodes[i].def->is_multiply && fuse_gated(g, i, consumers, keep, dead)) {
      dead[i] = true;
      consumers = g.consumers();
      continue;
    }
    Node& act = g.nodes[i];
    if (dead[i] || !act.def || !act.def->as_post_op || act.inputs.empty() || act.inputs[0] < 0) continue;
    const int x = act.inputs[0];
    const int p = g.values[x].producer;
    if (p < 0 || dead[p]) continue;
    Node& producer = g.nodes[p];
    if (!producer.def || !producer.def->accepts_post_ops) continue;
    // The intermediate must disappear entirely: one consumer, not kept, and
    // produced as the producer's first output.
    if (consumers[x].size() != 1 || kept(keep, x)) continue;
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
