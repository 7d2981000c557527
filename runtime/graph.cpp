#include "runtime/graph.h"

#include <algorithm>

namespace cnnrt {

int Graph::find_value(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? -1 : it->second;
}

int Graph::add_value(Value v) {
  const int id = static_cast<int>(values.size());
  if (!v.name.empty()) by_name_.emplace(v.name, id);
  values.push_back(std::move(v));
  return id;
}

bool Graph::is_graph_output(int value) const {
  return std::find(outputs.begin(), outputs.end(), value) != outputs.end();
}

std::vector<std::vector<int>> Graph::consumers() const {
  std::vector<std::vector<int>> out(values.size());
  for (size_t n = 0; n < nodes.size(); ++n)
    for (int v : nodes[n].inputs)
      if (v >= 0 && (out[v].empty() || out[v].back() != static_cast<int>(n))) out[v].push_back(static_cast<int>(n));
  for (const Node& n : nodes)
    for (const PostOp& p : n.post_ops)
      if (p.sum_input >= 0) out[p.sum_input].push_back(static_cast<int>(&n - nodes.data()));
  for (auto& c : out) {
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  return out;
}

void Graph::relink_producers() {
  for (Value& v : values) v.producer = -1;
  for (size_t n = 0; n < nodes.size(); ++n)
    for (int v : nodes[n].outputs)
      if (v >= 0) values[v].producer = static_cast<int>(n);
}

std::string domain_display(const std::string& domain) {
  return domain.empty() ? "ai.onnx" : domain;
}

std::string node_context(const Node& n) {
  return cat("node '", n.name, "' (", n.op_type, ", domain ", domain_display(n.domain), ", opset ", n.opset, "): ");
}

}  // namespace cnnrt
