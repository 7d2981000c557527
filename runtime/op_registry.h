// The operator registry: every op in ops/ describes itself with an OpDef and
// registers it here, keyed by (domain, op_type, opset range). The loader
// resolves each node to its OpDef; passes and the compiler call through it.
//
// Adding an operator means adding one file in ops/ with a function
// `void register_<file name>(OpRegistry&)`; CMake generates the call.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/graph.h"
#include "runtime/status.h"

namespace cnnrt {

class InferContext;
class LowerContext;

// The newest default-domain opset this build knows (ONNX 1.23). A model that
// asks for a newer one is refused: we cannot know what changed.
constexpr int kNewestOpset = 28;

struct OpDef {
  std::string domain;   // "" for ai.onnx
  std::string op_type;
  int first_opset = 1;  // inclusive range of opset versions this entry implements
  int last_opset = kNewestOpset;

  // Checks attributes and input types, sets every output's dtype and shape
  // (unknown dims as -1). Runs at load with declared shapes and again per
  // concrete input shape.
  Status (*infer)(InferContext&) = nullptr;

  // Emits the kernels (oneDNN primitives or plain loops) for concrete shapes.
  Status (*lower)(LowerContext&) = nullptr;

  // If set, this op can run as post-ops of its producer (an eltwise
  // activation): appends to `out` the oneDNN eltwise post-op(s) that compute
  // it, in order (some activations need two, e.g. HardSigmoid = linear then
  // clip in oneDNN 2.6), and returns true when the node's attributes and
  // inputs allow it. `graph` gives access to constant inputs (Clip's min/max).
  bool (*as_post_op)(const Graph& graph, const Node& node, std::vector<PostOp>* out) = nullptr;

  // If set, this op (an elementwise add) can be folded into the producer of
  // one of its inputs as a oneDNN sum post-op: the other input is written
  // into the producer's output buffer first and accumulated into it (a
  // residual connection at no extra pass over memory). Returns true when the
  // node's inputs allow it (same shape, no broadcasting).
  bool (*as_sum_post_op)(const Node& node) = nullptr;

  // If set, this activation multiplied by its own input (x * act(x): SiLU
  // from Sigmoid, hardswish from HardSigmoid(1/6, 1/2)) is one oneDNN post-op;
  // fills `out` and returns true when the node's attributes allow it.
  bool (*as_gated_post_op)(const Node& node, PostOp* out) = nullptr;

  // The elementwise multiply (the other half of a gated activation).
  bool is_multiply = false;

  // Producers that apply eltwise post-ops (Conv, Gemm, Add, ...) say so here.
  bool accepts_post_ops = false;
  // Producers that also take a sum post-op (they create their output with
  // LowerContext::output_accumulating).
  bool accepts_sum_post_op = false;

  // int8 sessions may run this op on 8-bit integers, quantizing its input 0
  // with the range calibration measured (LowerContext::input_range):
  // calibration records the range of input 0 of every node whose op sets
  // this.
  bool quantizes_input = false;

  // Output i may be computed with constant inputs at load time (default yes;
  // false for ops whose output must not be frozen, e.g. random ones).
  bool foldable = true;
};

class OpRegistry {
 public:
  void add(OpDef def);
  // The def implementing (domain, op_type) at `opset`, or nullptr.
  const OpDef* find(const std::string& domain, const std::string& op_type, int opset) const;
  // True if some version of the op is registered.
  bool knows(const std::string& domain, const std::string& op_type) const;
  // The version ranges registered for an op, e.g. "6-28" for messages.
  std::string versions(const std::string& domain, const std::string& op_type) const;
  const std::vector<OpDef>& all() const { return defs_; }

 private:
  std::vector<OpDef> defs_;
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> index_;
};

// The process-wide registry, filled once on first use from every ops/ file.
// Immutable afterwards, so it is shared without locks.
const OpRegistry& op_registry();

}  // namespace cnnrt
