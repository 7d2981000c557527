// Constant folding's engine: a one-node graph compiled and run like any
// other, so a folded value is exactly what a run would have computed.
#include <omp.h>

#include <cstring>

#include "runtime/compile.h"
#include "runtime/executor.h"
#include "runtime/passes/passes.h"

namespace cnnrt {

Result<std::vector<TensorPtr>> evaluate_node(const Graph& g, const Node& node, const dnnl::engine& engine) {
  Graph mini;
  mini.source = g.source;
  Node copy = node;
  for (int& v : copy.inputs) {
    if (v < 0) continue;
    Value in = g.values[v];
    in.producer = -1;
    v = mini.add_value(std::move(in));
  }
  std::vector<int> outs;
  for (int& v : copy.outputs) {
    if (v < 0) continue;
    Value out = g.values[v];
    out.constant.reset();
    v = mini.add_value(std::move(out));
    outs.push_back(v);
  }
  mini.nodes.push_back(std::move(copy));
  mini.outputs = outs;
  mini.relink_producers();

  WeightCache scratch_cache;
  CNNRT_ASSIGN_OR_RETURN(Program prog, compile_graph(mini, outs, engine, scratch_cache, CompileOptions()));
  std::shared_ptr<uint8_t> arena = aligned_bytes(prog.plan.arena_bytes);
  Executor exec;
  CNNRT_RETURN_IF_ERROR(exec.bind(prog, arena.get(), engine));
  dnnl::stream stream(engine);
  CNNRT_RETURN_IF_ERROR(exec.run({}, stream, omp_get_max_threads(), nullptr));

  std::vector<TensorPtr> result;
  size_t k = 0;
  for (int v : node.outputs) {
    if (v < 0) {
      result.push_back(nullptr);
      continue;
    }
    const Value& val = g.values[v];
    CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(val.dtype, val.shape, val.name));
    if (t->bytes) std::memcpy(t->mutable_data(), exec.data(prog.output_tensors[k]), t->bytes);
    ++k;
    result.push_back(std::move(t));
  }
  return result;
}

}  // namespace cnnrt
