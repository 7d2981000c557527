// The compiler: turns a graph with concrete shapes (already folded and
// fused) into a Program — every node lowered through its op's OpDef, layout
// conversions inserted where producers and consumers disagree, outputs made
// row-major, and all intermediates planned into one arena.
#pragma once

#include <vector>

#include "runtime/graph.h"
#include "runtime/lower_context.h"
#include "runtime/program.h"
#include "runtime/weight_cache.h"

namespace cnnrt {

// `outputs` are the value ids the caller will read after a run (graph
// outputs first, then any requested intermediates).
Result<Program> compile_graph(const Graph& graph, const std::vector<int>& outputs, const dnnl::engine& engine,
                              WeightCache& weights, const CompileOptions& options);

}  // namespace cnnrt
