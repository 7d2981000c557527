// Graph passes. Each takes the IR and leaves it valid (topological order,
// producers linked). Load runs them with declared shapes (unknown dims as
// -1); every new input shape runs them again with concrete shapes.
#pragma once

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/graph.h"

namespace cnnrt {

// Shape inference for every node, in order, then constant folding: a node
// whose inputs are all constant is evaluated once (through the same kernels
// a run would use) and replaced by its outputs. With require_concrete, any
// value left with an unknown dim is an error.
Status infer_and_fold(Graph& g, const dnnl::engine& engine, bool require_concrete);

// Marks optional outputs (index 1 and up) that nothing reads as omitted, so
// ops need not produce them (MaxPool's Indices, Dropout's mask, ...).
void drop_unused_outputs(Graph& g);

// Removes nodes none of whose outputs reach `keep` (graph outputs and any
// requested intermediates).
void eliminate_dead_nodes(Graph& g, const std::vector<int>& keep);

// Folds activation nodes into their producer as oneDNN post-ops when the
// producer's output feeds nothing else and is not in `keep`.
void fuse_post_ops(Graph& g, const std::vector<int>& keep);

// Folds BatchNormalization (inference mode, constant parameters) into the
// Conv or Gemm producing its input when nothing else reads that output:
// new constant weights and bias, the BN node removed. Load time, after
// constant folding.
Status fold_batchnorm(Graph& g);

// Folds a zero Pad of the spatial dims into the AveragePool reading it
// (pads added to the pool's, count_include_pad set), as PyTorch exports
// avg_pool2d(padding=p) with count_include_pad; the Pad is then dead.
// Load time, after constant folding (the pads are a constant input).
void fold_pad_into_pool(Graph& g);

// Runs one node whose inputs are all constant; returns its outputs (null for
// omitted outputs). Used by folding.
Result<std::vector<TensorPtr>> evaluate_node(const Graph& g, const Node& node, const dnnl::engine& engine);

// Drops nodes flagged in `dead`, keeping order, and relinks producers.
void remove_nodes(Graph& g, const std::vector<bool>& dead);

}  // namespace cnnrt
