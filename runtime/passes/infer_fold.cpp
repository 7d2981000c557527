#include <algorithm>

#include "runtime/infer_context.h"
#include "runtime/op_registry.h"
#include "runtime/passes/passes.h"

namespace cnnrt {
namespace {

// Folding bigger results would trade a small model file for a large resident
// constant; such nodes run at run time instead.
constexpr size_t kMaxFoldedBytes = size_t{64} << 20;

bool all_inputs_constant(const Graph& g, const Node& n) {
  for (int v : n.inputs)
    if (v >= 0 && !g.values[v].constant) return false;
  return true;
}

bool shapes_known(const Graph& g, const Node& n) {
  for (int v : n.inputs)
    if (v >= 0 && !g.values[v].has_shape) return false;
  return true;
}

bool fully_known(const Value& v) {
  return v.has_shape && std::none_of(v.shape.begin(), v.shape.end(), [](int64_t d) { return d < 0; });
}

}  // namespace

void remove_nodes(Graph& g, const std::vector<bool>& dead) {
  std::vector<Node> kept;
  kept.reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!dead[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
  g.relink_producers();
}

Status infer_and_fold(Graph& g, const dnnl::engine& engine, bool require_concrete) {
  std::vector<bool> folded(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& n = g.nodes[i];
    if (!shapes_known(g, n)) {
      for (int v : n.outputs)
        if (v >= 0) g.values[v].has_shape = false;
      continue;
    }
    InferContext ctx(g, n, require_concrete);
    Status s = n.def->infer(ctx);
    if (!s.ok()) return s.with_prefix(node_context(n));
    bool rank_unknown = false;
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      if (n.outputs[k] < 0 || g.values[n.outputs[k]].has_shape) continue;
      if (!ctx.output_rank_unknown(k))
        return internal_error(node_context(n), "shape inference left output ", k, " without a shape");
      rank_unknown = true;
    }
    if (rank_unknown) continue;  // resolved once the inputs are concrete

    bool all_out_constant = true;
    for (int v : n.outputs)
      if (v >= 0 && !g.values[v].constant) all_out_constant = false;
    if (all_out_constant) {
      folded[i] = true;
      continue;
    }
    if (!n.def->foldable || !all_inputs_constant(g, n)) continue;
    size_t out_bytes = 0;
    bool sizable = true;
    for (int v : n.outputs) {
      if (v < 0) continue;
      if (!fully_known(g.values[v])) {
        sizable = false;
        break;
      }
      auto bytes = checked_bytes(g.values[v].shape, g.values[v].dtype, "output '" + g.values[v].name + "'");
      if (!bytes.ok()) return bytes.status().with_prefix(node_context(n));
      out_bytes += bytes.value();
    }
    if (!sizable || out_bytes > kMaxFoldedBytes) continue;
    auto outs = evaluate_node(g, n, engine);
    if (!outs.ok()) return outs.status().with_prefix(cat("folding constants: "));
    for (size_t k = 0; k < n.outputs.size(); ++k)
      if (n.outputs[k] >= 0) g.values[n.outputs[k]].constant = outs.value()[k];
    folded[i] = true;
  }
  remove_nodes(g, folded);

  if (require_concrete) {
    for (const Node& n : g.nodes)
      for (int v : n.outputs)
        if (v >= 0 && !fully_known(g.values[v]))
          return unsupported(node_context(n), "the shape of output '", g.values[v].name,
                             "' depends on input values (", dims_str(g.values[v].shape), "), which is not supported");
  }
  return ok_status();
}

void drop_unused_outputs(Graph& g) {
  const auto consumers = g.consumers();
  for (Node& n : g.nodes)
    for (size_t k = 1; k < n.outputs.size(); ++k) {
      const int v = n.outputs[k];
      if (v >= 0 && consumers[v].empty() && !g.is_graph_output(v)) n.outputs[k] = -1;
    }
}

void eliminate_dead_nodes(Graph& g, const std::vector<int>& keep) {
  std::vector<bool> live_value(g.values.size(), false);
  for (int v : keep) live_value[v] = true;
  std::vector<bool> dead(g.nodes.size(), true);
  for (size_t i = g.nodes.size(); i-- > 0;) {
    const Node& n = g.nodes[i];
    bool needed = false;
    for (int v : n.outputs)
      if (v >= 0 && live_value[v]) needed = true;
    if (!needed) continue;
    dead[i] = false;
    for (int v : n.inputs)
      if (v >= 0) live_value[v] = true;
    for (const PostOp& p : n.post_ops)
      if (p.sum_input >= 0) live_value[p.sum_input] = true;
  }
  remove_nodes(g, dead);
}

}  // namespace cnnrt
