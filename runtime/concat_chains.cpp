#include "runtime/concat_chains.h"

#include <algorithm>
#include <map>

#include <oneapi/dnnl/dnnl_types.h>

#include "runtime/lower_context.h"

namespace cnnrt {

Result<dnnl::memory::desc> ChannelSlices::layout(const Dims& dims) const {
  if (blocks_of_16) return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, dnnl::memory::format_tag::aBcd16b);
  return plain_md(DType::f32, dims);
}

size_t ChannelSlices::offset(const Dims& dims, int64_t channel) {
  int64_t per_channel = 1;  // elements of one channel
  for (size_t k = 2; k < dims.size(); ++k) per_channel *= dims[k];
  return static_cast<size_t>(channel * per_channel) * sizeof(float);
}
namespace {

// A parent is looked for among the Concats with up to this many inputs
// fewer (DenseNet adds one per layer); bounds the search on hostile graphs.
constexpr size_t kMaxInputsAdded = 4;

// A Concat along axis 1 of one image: f32, concrete dims, first dim 1, every
// input present with the output's rank and its dims but the channels'.
bool chainable(const Graph& g, const Node& n) {
  if (n.op_type != "Concat" || !n.domain.empty() || n.outputs.size() != 1 || n.outputs[0] < 0 || n.inputs.empty())
    return false;
  const Value& out = g.values[n.outputs[0]];
  const int64_t rank = static_cast<int64_t>(out.shape.size());
  if (out.dtype != DType::f32 || rank < 2 || rank > DNNL_MAX_NDIMS || out.shape[0] != 1) return false;
  for (int64_t d : out.shape)
    if (d < 0) return false;
  auto axis = n.attrs.get_int("axis", 1);
  if (!axis.ok() || (axis.value() != 1 && axis.value() != 1 - rank)) return false;
  for (int v : n.inputs) {
    if (v < 0) return false;
    const Value& in = g.values[v];
    if (in.dtype != DType::f32 || in.shape.size() != out.shape.size()) return false;
    for (int64_t k = 0; k < rank; ++k)
      if (in.shape[k] < 0 || (k != 1 && in.shape[k] != out.shape[k])) return false;
  }
  return true;
}

}  // namespace

ConcatChains find_concat_chains(const Graph& g) {
  const size_t n = g.nodes.size();
  ConcatChains out;
  out.chain_of_node.assign(n, -1);
  out.inputs_in_buffer.assign(n, 0);
  out.slot_of_value.assign(g.values.size(), ChainSlot{});
  std::vector<int> parent(n, -1), child(n, -1);
  // Concats without a child yet, by their exact input list.
  std::map<std::vector<int>, int> open;
  for (size_t c = 0; c < n; ++c) {
    const Node& node = g.nodes[c];
    if (!chainable(g, node)) continue;
    const std::vector<int>& in = node.inputs;
    for (size_t added = 1; added <= kMaxInputsAdded && added < in.size(); ++added) {
      auto it = open.find(std::vector<int>(in.begin(), in.end() - static_cast<std::ptrdiff_t>(added)));
      if (it == open.end()) continue;
      const int p = it->second;
      // Same dims but the channels', so the parent is a prefix of the child.
      Dims ps = g.values[g.nodes[p].outputs[0]].shape, cs = g.values[node.outputs[0]].shape;
      ps[1] = cs[1] = 0;
      if (ps != cs) continue;
      parent[c] = p;
      child[p] = static_cast<int>(c);
      open.erase(it);
      break;
    }
    open.emplace(in, static_cast<int>(c));  // keeps the first Concat of an input list
  }
  for (size_t h = 0; h < n; ++h) {
    if (parent[h] >= 0 || child[h] < 0) continue;
    ConcatChain chain;
    for (int m = static_cast<int>(h); m >= 0; m = child[m]) {
      out.chain_of_node[m] = static_cast<int>(out.chains.size());
      out.inputs_in_buffer[m] = chain.members.empty() ? 0 : g.nodes[chain.members.back()].inputs.size();
      chain.members.push_back(m);
    }
    const Value& last = g.values[g.nodes[chain.members.back()].outputs[0]];
    chain.buffer_channels = last.shape[1];
    chain.blocks_of_16 = last.shape.size() == 4;
    for (int v : g.nodes[chain.members.back()].inputs)  // every member's inputs are a prefix of these
      if (g.values[v].shape[1] % 16 != 0) chain.blocks_of_16 = false;
    // Slots: inputs after the first member's, each once in the chain and
    // produced by a node after the first member (which makes the buffer).
    const std::vector<int>& all = g.nodes[chain.members.back()].inputs;
    const size_t first = g.nodes[chain.members.front()].inputs.size();
    std::map<int, int> uses;
    for (int v : all) ++uses[v];
    int64_t channel = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      const int v = all[i];
      if (i >= first && uses[v] == 1 && g.values[v].producer > chain.members.front() &&
          out.slot_of_value[v].chain < 0)
        out.slot_of_value[v] = ChainSlot{static_cast<int>(out.chains.size()), channel};
      channel += g.values[v].shape[1];
    }
    out.chains.push_back(std::move(chain));
  }
  return out;
}

}  // namespace cnnrt
