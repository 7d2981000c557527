#include "runtime/session.h"

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "runtime/calibration.h"
#include "runtime/passes/passes.h"
#include "runtime/per_image.h"
#include "runtime/threads.h"

namespace cnnrt {
namespace {

// A caller cycling through many shapes must not grow memory without bound.
constexpr size_t kMaxCachedPlans = 8;
// No arena beyond this is attempted (a hostile input shape could ask for more).
constexpr size_t kMaxArenaBytes = size_t{16} << 30;
// Inputs at most this large (and of rank <= 1) may be shape inputs whose
// values a plan is made for.
constexpr int64_t kMaxKeyedElements = 64;

bool is_integer(DType t) {
  switch (t) {
    case DType::i8: case DType::u8: case DType::i16: case DType::u16: case DType::i32: case DType::u32:
    case DType::i64: case DType::u64: return true;
    default: return false;
  }
}

// Could graph input `v` with these dims be a shape input? (round 0:
// integers only; round 1: any small rank <= 1 tensor, e.g. Range's float
// limits.)
bool key_candidate(const Value& v, const Dims& dims, int round) {
  if (dims.size() > 1 || numel(dims) > kMaxKeyedElements) return false;
  return round > 0 || is_integer(v.dtype);
}

}  // namespace

Session::Session(std::shared_ptr<const Model> model, SessionOptions options)
    : model_(std::move(model)),
      options_(std::move(options)),
      threads_(options_.threads > 0 ? options_.threads : default_thread_count()) {}

Result<std::unique_ptr<Session>> Session::create(std::shared_ptr<const Model> model, SessionOptions options) {
  if (options.threads < 0) return invalid_argument("thread count must be >= 0, got ", options.threads);
  if (options.initial_batch < 1 || options.initial_batch > kMaxInitialBatch)
    return invalid_argument("batch must be 1..", kMaxInitialBatch, ", got ", options.initial_batch);
  const bool int8 = options.compile.precision == CompileOptions::Precision::int8;
  if (!int8 && !options.calibration.empty())
    return invalid_argument("calibration inputs are only used by int8 sessions");
  if (int8 && !options.compile.calibration) {
    if (options.calibration.empty())
      return invalid_argument("int8 precision needs calibration inputs: sample inputs on which the FP32 model's "
                              "ranges are measured, to choose the scales it quantizes with");
    CNNRT_ASSIGN_OR_RETURN(options.compile.calibration, calibrate(model, options.threads, options.calibration));
  }
  options.calibration.clear();  // borrowed pointers: not kept past create
  std::unique_ptr<Session> s(new Session(std::move(model), std::move(options)));
  if (s->options_.private_weights) s->own_weights_ = std::make_unique<WeightCache>();
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

  // Prepare the declared shapes now (symbolic dims as 1, a free batch
  // dimension as the batch asked for) so the first run does not pay for
  // compilation. Models whose symbolic dims cannot take those sizes are
  // prepared on their first run instead.
  std::vector<Dims> dims;
  bool all_static = true;
  for (int v : g.inputs) {
    Dims d = g.values[v].shape;
    for (size_t k = 0; k < d.size(); ++k)
      if (d[k] < 0) {
        d[k] = k == 0 ? s->options_.initial_batch : 1;
        all_static = false;
      }
    dims.push_back(std::move(d));
  }
  s->value_keyed_.assign(g.inputs.size(), false);
  Status st = s->prepare(dims);
  // A model whose shapes depend on input values is planned on its first run.
  bool may_need_values = false;
  for (size_t i = 0; i < g.inputs.size(); ++i)
    may_need_values = may_need_values || key_candidate(g.values[g.inputs[i]], dims[i], 1);
  if (!st.ok() && all_static && !(may_need_values && st.code() == StatusCode::unsupported)) return st;
  return s;
}

Status Session::prepare(const std::vector<Dims>& input_dims, const std::vector<const void*>* data) {
  auto p = plan_for(input_dims, data);
  if (!p.ok()) return p.status();
  current_ = p.value();
  return ok_status();
}

bool Session::plan_matches(const Plan& p, const std::vector<Dims>& input_dims,
                           const std::vector<const void*>* data) const {
  if (p.input_dims != input_dims) return false;
  for (size_t i = 0; i < p.keyed.size(); ++i) {
    if (!p.keyed[i]) continue;
    const std::string& want = p.key_values[i];
    if (!data || (!want.empty() && std::memcmp((*data)[i], want.data(), want.size()) != 0)) return false;
  }
  return true;
}

Status Session::grow_arena(size_t bytes) {
  if (bytes <= arena_bytes_) return ok_status();
  if (bytes > kMaxArenaBytes)
    return out_of_memory("the plan needs a ", bytes >> 20, " MiB arena, above the ", kMaxArenaBytes >> 30, " GiB limit");
  arena_ = aligned_bytes(bytes);
  arena_bytes_ = bytes;
  for (auto& p : plans_) p->rebind_arena(arena_.get());
  return ok_status();
}

void Session::Plan::rebind_arena(uint8_t* arena) {
  exec.rebind_arena(arena);
  for (size_t w = 0; w < lanes.size(); ++w) lanes[w]->exec.rebind_arena(arena + (w + 1) * arena_stride);
  if (tail) tail->exec.rebind_arena(arena);
}

Result<Session::Plan*> Session::plan_for(const std::vector<Dims>& input_dims, const std::vector<const void*>* data) {
  for (auto it = plans_.begin(); it != plans_.end(); ++it)
    if (plan_matches(**it, input_dims, data)) {
      plans_.splice(plans_.begin(), plans_, it);
      return plans_.front().get();
    }

  ThreadScope threads(threads_);
  auto made = make_plan(input_dims, data, value_keyed_);
  // Shapes that depend on input values: fold the small inputs that may be
  // shape inputs (integers first) and try again.
  const Graph& model_graph = model_->graph();
  for (int round = 0; round < 2 && !made.ok() && made.status().code() == StatusCode::unsupported && data; ++round) {
    std::vector<bool> keyed = value_keyed_;
    bool more = false;
    for (size_t i = 0; i < keyed.size(); ++i)
      if (!keyed[i] && key_candidate(model_graph.values[model_graph.inputs[i]], input_dims[i], round)) {
        keyed[i] = true;
        more = true;
      }
    if (!more) continue;
    auto retry = make_plan(input_dims, data, keyed);
    if (retry.ok()) value_keyed_ = keyed;
    made = std::move(retry);
  }
  if (!made.ok()) return made.status();
  std::unique_ptr<Plan> plan = std::move(made).value();
  CNNRT_RETURN_IF_ERROR(grow_arena(plan->arena_bytes()));
  CNNRT_RETURN_IF_ERROR(plan->exec.bind(plan->program, arena_.get(), model_->engine()));
  for (auto& lane : plan->lanes) CNNRT_RETURN_IF_ERROR(lane->exec.bind(lane->program, arena_.get(), model_->engine()));
  if (plan->tail) CNNRT_RETURN_IF_ERROR(plan->tail->exec.bind(plan->tail->program, arena_.get(), model_->engine()));
  plan->rebind_arena(arena_.get());
  plans_.push_front(std::move(plan));
  if (plans_.size() > kMaxCachedPlans) {
    if (current_ == plans_.back().get()) current_ = nullptr;
    plans_.pop_back();
  }
  return plans_.front().get();
}

Result<std::unique_ptr<Session::Plan>> Session::make_plan(const std::vector<Dims>& input_dims,
                                                          const std::vector<const void*>* data,
                                                          const std::vector<bool>& keyed,
                                                          const std::vector<std::string>& outputs) {
  auto plan = std::make_unique<Plan>();
  plan->graph = model_->graph();
  Graph& g = plan->graph;
  plan->keyed.assign(g.inputs.size(), false);
  plan->key_values.assign(g.inputs.size(), std::string());
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    Value& in = g.values[g.inputs[i]];
    in.shape = input_dims[i];
    if (!keyed[i] || !data) continue;
    // The input's values become a constant of this plan (shape inputs).
    CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> c, TensorData::make(in.dtype, input_dims[i], in.name));
    if (c->bytes) std::memcpy(c->mutable_data(), (*data)[i], c->bytes);
    plan->keyed[i] = true;
    plan->key_values[i].assign(static_cast<const char*>((*data)[i]), c->bytes);
    in.constant = std::move(c);
  }
  try {
    CNNRT_RETURN_IF_ERROR(infer_and_fold(g, model_->engine(), /*require_concrete=*/true).with_prefix(g.source + ": "));
    std::vector<int> wanted = output_values_;
    if (!outputs.empty()) {
      wanted.clear();
      for (const std::string& name : outputs) {
        const int v = g.find_value(name);
        if (v < 0) return internal_error("no value '", name, "' to plan for");
        wanted.push_back(v);
      }
    }
    eliminate_dead_nodes(g, wanted);
    fuse_post_ops(g, wanted);
    // (A plan for named outputs is a split plan's batch-1 head.)
    if (const HeadSplit split = outputs.empty() ? split_batch(g, input_dims, keyed) : HeadSplit(); split.nodes > 0) {
      auto per_image = split.value < 0 ? make_per_image_plan(input_dims, input_dims[0][0], data, keyed)
                                       : make_split_plan(g, split, input_dims, data, keyed);
      // A model that keeps images apart at batch n but cannot be planned
      // at batch 1 (a shape fixed somewhere) still runs whole.
      if (per_image.ok()) return per_image;
    }
    CNNRT_ASSIGN_OR_RETURN(plan->program, compile_graph(g, wanted, model_->engine(), weights(), options_.compile));
  } catch (const std::bad_alloc&) {
    return out_of_memory("out of memory while preparing the plan");
  } catch (const dnnl::error& e) {
    return internal_error("oneDNN failed while preparing the plan: ", e.what());
  }
  plan->timings.assign(plan->program.steps.size(), StepTiming());
  plan->input_dims = input_dims;
  return plan;
}

HeadSplit Session::split_batch(const Graph& g, const std::vector<Dims>& input_dims,
                               const std::vector<bool>& keyed) const {
  const HeadSplit whole;
  if (options_.batch_mode == SessionOptions::BatchMode::whole || input_dims.empty()) return whole;
  const Graph& declared = model_->graph();
  const int64_t n = input_dims[0].empty() ? 1 : input_dims[0][0];
  if (n < 2) return whole;
  for (size_t i = 0; i < input_dims.size(); ++i) {
    // Only a batch the model leaves free: a fixed first dimension is part
    // of what the model computes.
    const Dims& decl = declared.values[declared.inputs[i]].shape;
    if (keyed[i] || input_dims[i].empty() || input_dims[i][0] != n || decl.empty() || decl[0] >= 0) return whole;
  }
  if (options_.batch_mode == SessionOptions::BatchMode::automatic)
    return per_image_head(g, output_values_, n, last_level_cache_bytes(), std::min<int64_t>(threads_, n));
  if (!why_not_per_image(g, output_values_, n).empty()) return whole;
  return {g.nodes.size(), -1};
}

Result<std::unique_ptr<Session::Plan>> Session::make_per_image_plan(const std::vector<Dims>& input_dims,
                                                                    int64_t images,
                                                                    const std::vector<const void*>* data,
                                                                    const std::vector<bool>& keyed,
                                                                    const std::vector<std::string>& outputs) {
  std::vector<Dims> one = input_dims;
  for (Dims& d : one) d[0] = 1;
  // With several threads, one lane per thread runs its share of the
  // images, each on one thread (compiled so).
  const int64_t lanes = std::min<int64_t>(threads_, images);
  std::unique_ptr<Plan> plan;
  {
    ThreadScope per_lane(lanes > 1 ? 1 : threads_);
    CNNRT_ASSIGN_OR_RETURN(plan, make_plan(one, data, keyed, outputs));
    for (int64_t w = 1; w < lanes; ++w) {
      CNNRT_ASSIGN_OR_RETURN(std::unique_ptr<Plan> lane, make_plan(one, data, keyed, outputs));
      lane->stream = dnnl::stream(model_->engine());
      lane->image_inputs.assign(one.size(), nullptr);
      plan->lanes.push_back(std::move(lane));
    }
  }
  if (lanes > 1) {  // each lane's slice fits the largest lane arena (the compiles are the same)
    size_t largest = plan->program.plan.arena_bytes;
    for (const auto& lane : plan->lanes) largest = std::max(largest, lane->program.plan.arena_bytes);
    plan->arena_stride = (largest + 63) / 64 * 64;
  }
  plan->lane_status.assign(static_cast<size_t>(lanes), ok_status());
  const Program& prog = plan->program;
  for (size_t i = 0; i < one.size(); ++i) {
    size_t bytes = 0;
    fits_bytes(one[i], prog.tensors[prog.input_tensors[i]].dtype, &bytes);
    plan->image_input_bytes.push_back(bytes);
  }
  for (int t : prog.output_tensors) {
    ProgTensor out = prog.tensors[t];
    if (out.dims.empty() || out.dims[0] != 1) return internal_error("output '", out.name, "' is not one image at batch 1");
    out.dims[0] = images;
    out.bytes *= static_cast<size_t>(images);
    out.has_md = false;  // the batch's results are plain bytes the session owns, not a oneDNN memory
    out.md = dnnl::memory::desc();
    plan->output_storage.push_back(aligned_bytes(out.bytes));
    plan->outputs.push_back(std::move(out));
  }
  plan->images = images;
  plan->image_inputs.assign(one.size(), nullptr);
  plan->input_dims = input_dims;
  return plan;
}

Result<std::unique_ptr<Session::Plan>> Session::make_split_plan(const Graph& g, const HeadSplit& split,
                                                                const std::vector<Dims>& input_dims,
                                                                const std::vector<const void*>* data,
                                                                const std::vector<bool>& keyed) {
  const Value& cut = g.values[split.value];
  CNNRT_ASSIGN_OR_RETURN(std::unique_ptr<Plan> plan,
                         make_per_image_plan(input_dims, input_dims[0][0], data, keyed, {cut.name}));
  // The head folded at batch 1 must hand over what the batched graph reads
  // there (a fold that differs with the batch size would show here).
  if (plan->outputs.size() != 1 || plan->outputs[0].dims != cut.shape || plan->outputs[0].dtype != cut.dtype)
    return internal_error("the image-by-image head does not end in '", cut.name, "' ", dims_str(cut.shape));
  auto tail = std::make_unique<Plan>();
  tail->graph = g;
  Graph& rest = tail->graph;
  rest.nodes.erase(rest.nodes.begin(), rest.nodes.begin() + static_cast<std::ptrdiff_t>(split.nodes));
  rest.inputs = {split.value};
  rest.relink_producers();
  eliminate_dead_nodes(rest, output_values_);
  CNNRT_ASSIGN_OR_RETURN(tail->program,
                         compile_graph(rest, output_values_, model_->engine(), weights(), options_.compile));
  tail->timings.assign(tail->program.steps.size(), StepTiming());
  tail->input_dims = {cut.shape};
  tail->image_inputs.assign(1, nullptr);  // the head's output, bound at each run
  plan->tail = std::move(tail);
  return plan;
}

Status Session::run_image(Plan& p, Plan& lane, int64_t i, dnnl::stream& stream, int threads) {
  for (size_t k = 0; k < lane.image_inputs.size(); ++k)
    lane.image_inputs[k] = static_cast<const uint8_t*>(input_ptrs_[k]) + static_cast<size_t>(i) * p.image_input_bytes[k];
  CNNRT_RETURN_IF_ERROR(lane.exec.run(lane.image_inputs, stream, threads, options_.profile ? &lane.timings : nullptr));
  for (size_t j = 0; j < p.outputs.size(); ++j) {
    const int t = lane.program.output_tensors[j];
    const size_t bytes = lane.program.tensors[t].bytes;
    if (bytes) std::memcpy(p.output_storage[j].get() + static_cast<size_t>(i) * bytes, lane.exec.data(t), bytes);
  }
  return ok_status();
}

Status Session::run_images(Plan& p) {
  if (!p.lanes.empty()) return run_lanes(p);
  for (int64_t i = 0; i < p.images; ++i) CNNRT_RETURN_IF_ERROR(run_image(p, p, i, stream_, threads_));
  return ok_status();
}

Status Session::run_lanes(Plan& p) {
  const int count = static_cast<int>(p.lanes.size() + 1);
  // Each OpenMP thread of this region is one lane: its primitives run on
  // that thread alone (oneDNN does not open a nested team), its kernels on
  // its own copies, its tensors in its slice of the arena. The results go
  // to disjoint rows of the outputs.
  // OpenMP may give the region fewer threads (a caller's own parallel
  // region, a thread limit): the images are dealt over the team it gives.
  for (Status& st : p.lane_status) st = ok_status();
#pragma omp parallel num_threads(count)
  {
    const int w = omp_get_thread_num();
    const int team = omp_get_num_threads();
    Plan& lane = w == 0 ? p : *p.lanes[static_cast<size_t>(w - 1)];
    dnnl::stream& stream = w == 0 ? stream_ : lane.stream;
    Status& status = p.lane_status[static_cast<size_t>(w)];
    try {
      for (int64_t i = w; i < p.images && status.ok(); i += team) status = run_image(p, lane, i, stream, 1);
    } catch (const dnnl::error& e) {
      status = internal_error("oneDNN failed during the run: ", e.what());
    } catch (const std::exception& e) {  // nothing may leave an OpenMP region
      status = internal_error("running images on thread ", w, " failed: ", e.what());
    }
  }
  // The profile is this plan's: each lane's step times added to it.
  for (auto& lane : p.lanes)
    for (size_t s = 0; options_.profile && s < lane->timings.size() && s < p.timings.size(); ++s) {
      p.timings[s].ms += lane->timings[s].ms;
      p.timings[s].runs += lane->timings[s].runs;
      lane->timings[s] = StepTiming();
    }
  for (const Status& st : p.lane_status)
    if (!st.ok()) return st;
  return ok_status();
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
    size_t bytes = 0;  // checked without building a message: runs must not allocate
    if (!fits_bytes(in.dims, in.dtype, &bytes)) return checked_bytes(in.dims, in.dtype, cat("input '", decl.name, "'")).status();
    if (!in.data && bytes) return invalid_argument("input '", decl.name, "' data is NULL");
    if (same_shapes && current_->input_dims[i] != in.dims) same_shapes = false;
    if (same_shapes && current_->keyed[i] && !current_->key_values[i].empty() &&
        std::memcmp(in.data, current_->key_values[i].data(), current_->key_values[i].size()) != 0)
      same_shapes = false;
    input_ptrs_[i] = in.data;
  }
  if (!same_shapes) {
    std::vector<Dims> dims;
    for (const InputBinding& in : inputs) dims.push_back(in.dims);
    CNNRT_RETURN_IF_ERROR(prepare(dims, &input_ptrs_));
  }
  ThreadScope threads(threads_);
  try {
    if (current_->images > 1) {
      CNNRT_RETURN_IF_ERROR(run_images(*current_));
      Plan* tail = current_->tail.get();
      if (!tail) return ok_status();
      tail->image_inputs[0] = current_->output_storage[0].get();
      return tail->exec.run(tail->image_inputs, stream_, threads_, options_.profile ? &tail->timings : nullptr);
    }
    return current_->exec.run(input_ptrs_, stream_, threads_, options_.profile ? &current_->timings : nullptr);
  } catch (const dnnl::error& e) {
    return internal_error("oneDNN failed during the run: ", e.what());
  }
}

Status Session::check_input(size_t i, const InputBinding& in) const { return check_model_input(*model_, i, in); }

Status check_model_input(const Model& model, size_t i, const InputBinding& in) {
  const Graph& g = model.graph();
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
  if (const Plan* tail = current_->tail.get()) return tail->program.tensors[tail->program.output_tensors[i]];
  if (current_->images > 1) return current_->outputs[i];
  return current_->program.tensors[current_->program.output_tensors[i]];
}

const void* Session::output_data(size_t i) const {
  if (const Plan* tail = current_->tail.get()) return tail->exec.data(tail->program.output_tensors[i]);
  if (current_->images > 1) return current_->output_storage[i].get();
  return current_->exec.data(current_->program.output_tensors[i]);
}

std::vector<const Program*> Session::programs() const {
  std::vector<const Program*> all;
  for (const Plan* p = current_; p; p = p->tail.get()) all.push_back(&p->program);
  return all;
}

size_t Session::step_count() const {
  if (!current_) return 0;
  return current_->program.steps.size() + (current_->tail ? current_->tail->program.steps.size() : 0);
}

Session::StepView Session::step(size_t i) const {
  const Plan& p = *current_;
  if (i < p.program.steps.size()) return {&p.program.steps[i], &p.timings[i], p.images};
  i -= p.program.steps.size();
  return {&p.tail->program.steps[i], &p.tail->timings[i], 1};
}

Session::MemorySummary Session::memory_summary() const {
  MemorySummary m;
  for (const Plan* p = current_; p; p = p->tail.get()) {
    const MemoryPlan& plan = p->program.plan;
    m.arena_bytes = std::max(m.arena_bytes, plan.arena_bytes);
    m.lower_bound_bytes = std::max(m.lower_bound_bytes, plan.lower_bound);
    m.total_bytes += plan.total_bytes;
    m.tensor_count += plan.buffers.size();
    m.step_count += p->program.steps.size();
  }
  return m;
}

std::string Session::plan_text() const {
  std::string text = format_plan(current_->program.plan);
  if (const Plan* tail = current_->tail.get())
    text += cat("then the batch of ", current_->images, " as one, in the same arena:\n", format_plan(tail->program.plan));
  return text;
}

}  // namespace cnnrt
