#include "runtime/session.h"

#include <algorithm>

#include "runtime/passes/passes.h"
#include "runtime/threads.h"

namespace cnnrt {
namespace {

// A caller cycling through many shapes must not grow memory without bound.
constexpr size_t kMaxCachedPlans = 8;
// No arena beyond this is attempted (a hostile input shape could ask for more).
constexpr size_t kMaxArenaBytes = size_t{16} << 30;

}  // namespace

Session::Session(std::shared_ptr<const Model> model, SessionOptions options)
    : model_(std::move(model)),
      options_(std::move(options)),
      threads_(options_.threads > 0 ? options_.threads : default_thread_count()) {}

Result<std::unique_ptr<Session>> Session::create(std::shared_ptr<const Model> model, SessionOptions options) {
  if (options.threads < 0) return invalid_argument("thread count must be >= 0, got ", options.threads);
  std::unique_ptr<Session> s(new Session(std::move(model), std::move(options)));
  const Graph& g = s->model_->graph();
  s->output_values_ = g.outputs;
  for (const std::string& name : s->options_.extra_outputs) {
    const int v = g.find_value(name);
    const bool computed = v >= 0 && (g.values[v].producer >= 0 ||
                                     std::find(g.inputs.begin(), g.inputs.end(), v) != g.inputs.end());
    if (!computed) return invalid_argument("no tensor named '", name, "' is computed by this model");
    s->output_values_.push_back(v);
  }
  s->stream_ = dnnl::stream(s->model_->engine());
  s->input_ptrs_.resize(g.inputs.size());

  // Prepare the declared shapes now (symbolic dims as 1) so the first run
  // does not pay for compilation. Models whose symbolic dims cannot be 1 are
  // prepared on their first run instead.
  std::vector<Dims> dims;
  bool all_static = true;
  for (int v : g.inputs) {
    Dims d = g.values[v].shape;
    for (int64_t& x : d)
      if (x < 0) {
        x = 1;
        all_static = false;
      }
    dims.push_back(std::move(d));
  }
  Status st = s->prepare(dims);
  if (!st.ok() && all_static) return st;
  return s;
}

Status Session::prepare(const std::vector<Dims>& input_dims) {
  auto p = plan_for(input_dims);
  if (!p.ok()) return p.status();
  current_ = p.value();
  return ok_status();
}

Status Session::grow_arena(size_t bytes) {
  if (bytes <= arena_bytes_) return ok_status();
  if (bytes > kMaxArenaBytes)
    return out_of_memory("the plan needs a ", bytes >> 20, " MiB arena, above the ", kMaxArenaBytes >> 30, " GiB limit");
  arena_ = aligned_bytes(bytes);
  arena_bytes_ = bytes;
  for (auto& p : plans_) p->exec.rebind_arena(arena_.get());
  return ok_status();
}

Result<Session::Plan*> Session::plan_for(const std::vector<Dims>& input_dims) {
  for (auto it = plans_.begin(); it != plans_.end(); ++it)
    if ((*it)->program.input_dims == input_dims) {
      plans_.splice(plans_.begin(), plans_, it);
      return plans_.front().get();
    }

  ThreadScope threads(threads_);
  auto plan = std::make_unique<Plan>();
  plan->graph = model_->graph();
  Graph& g = plan->graph;
  for (size_t i = 0; i < g.inputs.size(); ++i) g.values[g.inputs[i]].shape = input_dims[i];
  try {
    CNNRT_RETURN_IF_ERROR(infer_and_fold(g, model_->engine(), /*require_concrete=*/true).with_prefix(g.source + ": "));
    eliminate_dead_nodes(g, output_values_);
    fuse_post_ops(g, output_values_);
    CNNRT_ASSIGN_OR_RETURN(plan->program,
                           compile_graph(g, output_values_, model_->engine(), model_->weights(), options_.compile));
  } catch (const std::bad_alloc&) {
    return out_of_memory("out of memory while preparing the plan");
  } catch (const dnnl::error& e) {
    return internal_error("oneDNN failed while preparing the plan: ", e.what());
  }
  plan->timings.assign(plan->program.steps.size(), StepTiming());
  CNNRT_RETURN_IF_ERROR(grow_arena(plan->program.plan.arena_bytes));
  CNNRT_RETURN_IF_ERROR(plan->exec.bind(plan->program, arena_.get(), model_->engine()));
  plans_.push_front(std::move(plan));
  if (plans_.size() > kMaxCachedPlans) {
    if (current_ == plans_.back().get()) current_ = nullptr;
    plans_.pop_back();
  }
  return plans_.front().get();
}

Status Session::run(const std::vector<InputBinding>& inputs) {
  const Graph& g = model_->graph();
  if (inputs.size() != g.inputs.size())
    return invalid_argument("the model has ", g.inputs.size(), " inputs, got ", inputs.size());
  bool same_shapes = current_ != nullptr;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value& decl = g.values[g.inputs[i]];
    const InputBinding& in = inputs[i];
    CNNRT_RETURN_IF_ERROR(check_input(i, in));
    CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(in.dims, in.dtype, cat("input '", decl.name, "'")));
    if (!in.data && bytes) return invalid_argument("input '", decl.name, "' data is NULL");
    if (same_shapes && current_->program.input_dims[i] != in.dims) same_shapes = false;
    input_ptrs_[i] = in.data;
  }
  if (!same_shapes) {
    std::vector<Dims> dims;
    for (const InputBinding& in : inputs) dims.push_back(in.dims);
    CNNRT_RETURN_IF_ERROR(prepare(dims));
  }
  ThreadScope threads(threads_);
  try {
    return current_->exec.run(input_ptrs_, stream_, options_.profile ? &current_->timings : nullptr);
  } catch (const dnnl::error& e) {
    return internal_error("oneDNN failed during the run: ", e.what());
  }
}

Status Session::check_input(size_t i, const InputBinding& in) const {
  const Graph& g = model_->graph();
  if (i >= g.inputs.size()) return invalid_argument("the model has no input ", i);
  const Value& decl = g.values[g.inputs[i]];
  if (in.dtype != decl.dtype)
    return invalid_argument("input '", decl.name, "' must be ", dtype_name(decl.dtype), ", got ", dtype_name(in.dtype));
  if (in.dims.size() != decl.shape.size())
    return invalid_argument("input '", decl.name, "' must have rank ", decl.shape.size(), " (shape ",
                            dims_str(decl.shape), "), got shape ", dims_str(in.dims));
  for (size_t k = 0; k < in.dims.size(); ++k) {
    if (in.dims[k] < 0) return invalid_argument("input '", decl.name, "' has negative dimension in ", dims_str(in.dims));
    if (decl.shape[k] >= 0 && in.dims[k] != decl.shape[k])
      return invalid_argument("input '", decl.name, "' must have shape ", dims_str(decl.shape), ", got ",
                              dims_str(in.dims));
  }
  return ok_status();
}

const ProgTensor& Session::output_tensor(size_t i) const {
  return current_->program.tensors[current_->program.output_tensors[i]];
}

const void* Session::output_data(size_t i) const { return current_->exec.data(current_->program.output_tensors[i]); }

}  // namespace cnnrt
