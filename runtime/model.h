// A loaded model: the graph after load-time passes, its oneDNN engine and
// the cache of reordered weights. Immutable after creation except for that
// cache (which locks), so one model is shared by any number of sessions on
// any threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/graph.h"
#include "runtime/weight_cache.h"

namespace cnnrt {

struct TensorInfo {
  std::string name;
  DType dtype = DType::undefined;
  Dims dims;  // -1 where unknown until run time
};

class Model {
 public:
  // Runs the load-time passes (shape inference with declared shapes,
  // constant folding, dead-node removal) and checks the result.
  static Result<std::shared_ptr<Model>> create(Graph graph);

  const Graph& graph() const { return graph_; }
  const dnnl::engine& engine() const { return engine_; }
  WeightCache& weights() const { return weights_; }
  const std::vector<TensorInfo>& inputs() const { return inputs_; }
  const std::vector<TensorInfo>& outputs() const { return outputs_; }
  // Every value a run computes (node outputs), in execution order; names a
  // session can ask to keep as extra outputs.
  const std::vector<TensorInfo>& intermediates() const { return intermediates_; }
  const std::string* metadata(const std::string& key) const;

 private:
  Model() = default;
  Graph graph_;
  dnnl::engine engine_;
  mutable WeightCache weights_;
  std::vector<TensorInfo> inputs_, outputs_, intermediates_;
};

}  // namespace cnnrt
