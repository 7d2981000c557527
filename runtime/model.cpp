#include "runtime/model.h"

#include "runtime/passes/passes.h"

namespace cnnrt {
namespace {

TensorInfo info_of(const Value& v) {
  TensorInfo t;
  t.name = v.name;
  t.dtype = v.dtype;
  t.dims = v.has_shape ? v.shape : Dims{};
  return t;
}

}  // namespace

Result<std::shared_ptr<Model>> Model::create(Graph graph) {
  std::shared_ptr<Model> m(new Model());
  try {
    m->engine_ = dnnl::engine(dnnl::engine::kind::cpu, 0);
  } catch (const dnnl::error& e) {
    return internal_error("cannot create a oneDNN CPU engine: ", e.what());
  }
  drop_unused_outputs(graph);
  Status s = infer_and_fold(graph, m->engine_, /*require_concrete=*/false);
  if (!s.ok()) return s.with_prefix(graph.source + ": ");
  CNNRT_RETURN_IF_ERROR(fold_batchnorm(graph).with_prefix(graph.source + ": "));
  fold_pad_into_pool(graph);
  eliminate_dead_nodes(graph, graph.outputs);
  for (size_t i = 0; i < graph.outputs.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (graph.outputs[i] == graph.outputs[j])
        return invalid_model(graph.source, ": graph output '", graph.values[graph.outputs[i]].name, "' is listed twice");
  m->graph_ = std::move(graph);
  for (int v : m->graph_.inputs) m->inputs_.push_back(info_of(m->graph_.values[v]));
  for (int v : m->graph_.outputs) m->outputs_.push_back(info_of(m->graph_.values[v]));
  for (const Node& n : m->graph_.nodes)
    for (int v : n.outputs)
      if (v >= 0) m->intermediates_.push_back(info_of(m->graph_.values[v]));
  return m;
}

const std::string* Model::metadata(const std::string& key) const {
  auto it = graph_.metadata.find(key);
  return it == graph_.metadata.end() ? nullptr : &it->second;
}

}  // namespace cnnrt
