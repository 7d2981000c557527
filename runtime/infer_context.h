// What an op's shape inference sees: its node, its inputs' dtypes, shapes and
// constant values, and where to put its outputs' dtypes and shapes.
#pragma once

#include <initializer_list>
#include <vector>

#include "runtime/graph.h"

namespace cnnrt {

class InferContext {
 public:
  // `shapes_concrete`: a session's plan (see constant_pending()).
  InferContext(Graph& graph, Node& node, bool shapes_concrete = false)
      : g_(graph), n_(node), shapes_concrete_(shapes_concrete) {}

  const Node& node() const { return n_; }
  int opset() const { return n_.opset; }
  const Attributes& attrs() const { return n_.attrs; }

  size_t num_inputs() const { return n_.inputs.size(); }
  bool has_input(size_t i) const { return i < n_.inputs.size() && n_.inputs[i] >= 0; }
  DType input_dtype(size_t i) const { return value(i).dtype; }
  const Dims& input_shape(size_t i) const { return value(i).shape; }
  int64_t input_rank(size_t i) const { return static_cast<int64_t>(value(i).shape.size()); }
  // The input's data if it is known at this point (initializer or folded).
  const TensorData* input_constant(size_t i) const { return has_input(i) ? value(i).constant.get() : nullptr; }
  // True while input i is not a constant but may still become one: at load,
  // a parameter computed from a dynamic batch's shape (Resize's sizes from
  // Shape -> Slice -> Concat, as PyTorch exports F.interpolate(size=...)) or
  // read from a graph input is not known yet, so the op leaves its output
  // dims unknown and is inferred again in the session's plan. There every
  // graph input has its concrete shape (and small shape-like inputs their
  // values, see Session): an input that is not a constant then never
  // becomes one, and this is false.
  bool constant_pending(size_t i) const { return has_input(i) && !input_constant(i) && !shapes_concrete_; }

  size_t num_outputs() const { return n_.outputs.size(); }
  bool has_output(size_t i) const { return i < n_.outputs.size() && n_.outputs[i] >= 0; }
  void set_output(size_t i, DType dtype, Dims shape);
  // For ops whose result is known without running them (Shape of a fully
  // known shape, ...): the output becomes a constant and the node folds.
  void set_output_constant(size_t i, TensorPtr data);
  // For ops whose output rank depends on values not known yet (Reshape to a
  // shape computed at run time, Squeeze without axes of an unknown dim):
  // the output keeps its dtype but has no shape, and the nodes reading it
  // wait for concrete shapes. Only valid while an input is not concrete.
  void set_output_unknown_rank(size_t i, DType dtype);
  bool output_rank_unknown(size_t i) const;

  // Common checks; each returns an error naming the input and the problem.
  Status expect_input_count(size_t min, size_t max) const;
  Status expect_dtype(size_t i, std::initializer_list<DType> allowed) const;
  Status expect_rank(size_t i, int64_t min, int64_t max) const;
  Status expect_constant(size_t i, const char* what) const;

 private:
  const Value& value(size_t i) const { return g_.values[n_.inputs[i]]; }
  Graph& g_;
  Node& n_;
  bool shapes_concrete_;
  std::vector<bool> unknown_rank_;  // per output: set_output_unknown_rank was called
};

// Normalises a possibly negative axis against rank; errors if out of range.
Result<int64_t> normalize_axis(int64_t axis, int64_t rank, const char* what);

}  // namespace cnnrt
