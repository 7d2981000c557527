// The intermediate representation every stage after the loader works on:
// values (name, dtype, shape, constant data if known) and nodes in
// topological order. No protobuf type appears here.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/attributes.h"
#include "runtime/tensor.h"

namespace cnnrt {

struct OpDef;

// A dimension of -1 is unknown (symbolic, or not inferable before run time).
constexpr int64_t kUnknownDim = -1;

struct Value {
  std::string name;
  DType dtype = DType::undefined;
  bool has_shape = false;       // false: not even the rank is known yet
  Dims shape;                   // -1 entries are unknown
  std::vector<std::string> dim_params;  // graph inputs: symbolic names ("N"), "" if none
  TensorPtr constant;           // initializers and folded values
  int producer = -1;            // index of the producing node, -1 if none
};

// An activation (or sum) that a producer applies to its own output instead of
// running as a separate node. Filled in by the fusion pass.
struct PostOp {
  enum class Kind { eltwise, sum } kind = Kind::eltwise;
  int algorithm = 0;  // a dnnl::algorithm value for eltwise
  float alpha = 0, beta = 0;
  float scale = 1;  // eltwise: dst = scale * algorithm(dst, alpha, beta)
  int sum_input = -1;  // value id accumulated into the output, for sum
  std::string from_node;  // the node that was fused away, for profiles
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;  // "" is the default ONNX domain
  int opset = 0;       // opset version of the node's domain in this model
  std::vector<int> inputs;   // value ids; -1 marks an omitted optional input
  std::vector<int> outputs;  // value ids; -1 marks an omitted optional output
  Attributes attrs;
  const OpDef* def = nullptr;  // resolved from the registry by the loader
  std::vector<PostOp> post_ops;
};

struct Graph {
  std::vector<Value> values;
  std::vector<Node> nodes;    // topological order
  std::vector<int> inputs;    // runtime inputs (never initializers)
  std::vector<int> outputs;
  std::map<std::string, std::string> metadata;  // model metadata_props
  std::string source;  // file the model came from, or "<memory>"
  std::string producer;  // producer_name and version, informational
  int64_t ir_version = 0;

  int find_value(const std::string& name) const;
  int add_value(Value v);
  bool is_graph_output(int value) const;
  // Consumers of each value (node indices, in order); recomputed on demand.
  std::vector<std::vector<int>> consumers() const;
  // Recomputes Value::producer from nodes.
  void relink_producers();

 private:
  std::unordered_map<std::string, int> by_name_;
};

// "domain ai.onnx" style name of a node's domain for messages.
std::string domain_display(const std::string& domain);

// "node 'conv1' (Conv, domain ai.onnx, opset 13): " — the context prefix for
// any message about a node.
std::string node_context(const Node& n);

}  // namespace cnnrt
