// A session: one model's graph compiled for concrete input shapes, its
// arena, and a oneDNN stream. Used by one thread at a time; any number of
// sessions per model. Plans are made per input shape and cached, so changing
// the batch size back and forth does not recompile.
//
// A few models take a shape as an input (a Reshape target, Slice bounds, a
// Range's limits given at run time). When a plan cannot be made from shapes
// alone, the small inputs (rank <= 1, a few elements) become constants of
// the plan, integer ones first: that plan is then made for, and reused
// with, those input values.
#pragma once

#include <algorithm>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "runtime/compile.h"
#include "runtime/executor.h"
#include "runtime/model.h"
#include "runtime/per_image.h"

namespace cnnrt {

struct InputBinding {
  const void* data = nullptr;
  DType dtype = DType::undefined;
  Dims dims;
};

// The largest batch create() may be asked to compile (a sanity bound:
// runs may use larger ones).
constexpr int64_t kMaxInitialBatch = 65536;

struct SessionOptions {
  int threads = 0;  // 0: all cores
  CompileOptions compile;
  std::vector<std::string> extra_outputs;  // intermediate tensors to keep readable after a run
  bool profile = false;                    // time every step (slower)
  // int8 precision: sample input sets (one binding per graph input each)
  // that create() calibrates on, unless compile.calibration is already set.
  // Read during create() only; the session keeps no pointer to them.
  std::vector<std::vector<InputBinding>> calibration;
  // Weights reordered for this session's primitives go to a cache the
  // session owns instead of the model's shared one, and die with it (for
  // throwaway sessions such as calibration's FP32 run).
  bool private_weights = false;
  // The size create() compiles a free first input dimension at (others: 1).
  int64_t initial_batch = 1;
  // How a batch (a free first dimension above 1) runs: automatic runs the
  // first layers, or all of them, image by image with a batch-1 plan
  // (several images at once, one per thread, on several threads) where
  // they keep images apart and are memory-bound enough for that to pay,
  // and the rest as one batch (see per_image.h); whole always runs one
  // batched plan; per_image runs the whole graph image by image whenever
  // no op mixes images.
  enum class BatchMode { automatic, whole, per_image } batch_mode = BatchMode::automatic;
};

// Whether `in` can feed graph input i of the model: dtype, rank, fixed
// dims, no negative dims.
Status check_model_input(const Model& model, size_t i, const InputBinding& in);

class Session {
 public:
  static Result<std::unique_ptr<Session>> create(std::shared_ptr<const Model> model, SessionOptions options);

  // inputs[i] feeds graph input i.
  Status run(const std::vector<InputBinding>& inputs);
  // Whether `in` can feed graph input i: dtype, rank, fixed dims, no
  // negative or overflowing dims (run checks this too).
  Status check_input(size_t i, const InputBinding& in) const;

  // Outputs of the last run: the graph outputs, then the extra outputs.
  size_t num_outputs() const { return output_values_.size(); }
  const ProgTensor& output_tensor(size_t i) const;
  const void* output_data(size_t i) const;

  // The plan used by the last run (or prepared at creation).
  const Program* program() const { return current_ ? &current_->program : nullptr; }
  // program(), then the batched rest's when only the first nodes run image
  // by image (empty before any plan).
  std::vector<const Program*> programs() const;
  // Prepares (or reuses) the plan for these input shapes without running;
  // `data` (the inputs' bytes, or null) lets shape inputs be folded.
  Status prepare(const std::vector<Dims>& input_dims, const std::vector<const void*>* data = nullptr);
  const Model& model() const { return *model_; }
  int threads() const { return threads_; }
  // How many times a run executes program(): 1, or the batch size when the
  // batch runs image by image (program() is then the batch-1 plan: of the
  // whole graph, or of its first nodes when the rest runs as one batch).
  int64_t images_per_run() const { return current_ ? current_->images : 1; }
  size_t arena_bytes() const { return arena_bytes_; }

  // Every step a run executes, in order: program()'s, then those of the
  // batched rest when only the first nodes run image by image.
  struct StepView {
    const Step* step = nullptr;
    const StepTiming* timing = nullptr;
    int64_t runs_per_batch = 1;  // how many times it runs in one run of the session
  };
  size_t step_count() const;
  StepView step(size_t i) const;  // i < step_count()
  // The memory plan of the last run's shapes: program()'s, or, when the
  // batch splits into an image-by-image head and a batched rest (which
  // share the arena, one after the other), both combined.
  struct MemorySummary {
    size_t arena_bytes = 0, total_bytes = 0, lower_bound_bytes = 0, tensor_count = 0, step_count = 0;
  };
  MemorySummary memory_summary() const;  // needs a plan (program() not null)
  std::string plan_text() const;         // format_plan() of each program

 private:
  struct Plan {
    Graph graph;
    Program program;
    Executor exec;
    std::vector<StepTiming> timings;
    std::vector<bool> keyed;                // per graph input: its values are constants of this plan
    std::vector<std::string> key_values;    // their bytes
    std::vector<Dims> input_dims;           // the shapes a run gives (program's, or n x its batch of 1)
    // Image by image: `program` is made for one image and runs `images`
    // times, each run reading the next image of every input and its
    // outputs copied into `outputs` (the whole batch's results).
    int64_t images = 1;
    std::vector<size_t> image_input_bytes;       // per graph input
    std::vector<const void*> image_inputs;       // this image's input pointers
    std::vector<ProgTensor> outputs;             // per output, batch dimension n
    std::vector<std::shared_ptr<uint8_t>> output_storage;
    // Image by image on several threads: this plan and `lanes` (more
    // batch-1 plans, each compiled for one thread, with its own stream and
    // slice of the arena) run every (lanes + 1)-th image each, at once.
    // Separate compiles, so no kernel's state is shared between threads.
    std::vector<std::unique_ptr<Plan>> lanes;
    dnnl::stream stream;                 // a lane's own (lanes only)
    size_t arena_stride = 0;             // bytes of the arena each lane's slice takes
    std::vector<Status> lane_status;     // per lane (this plan first), of the last run
    // Only the first nodes image by image: `outputs` then holds the one
    // tensor they hand over, and `tail` (a plan at batch n reading it as
    // its input) computes the graph's outputs. Both use the arena from its
    // start, one after the other.
    std::unique_ptr<Plan> tail;
    // Points this plan's executor (and its lanes', at their slices) at `arena`.
    void rebind_arena(uint8_t* arena);
    size_t arena_bytes() const {
      const size_t head = arena_stride ? arena_stride * (lanes.size() + 1) : program.plan.arena_bytes;
      return tail ? std::max(head, tail->arena_bytes()) : head;
    }
  };
  Session(std::shared_ptr<const Model> model, SessionOptions options);
  Result<Plan*> plan_for(const std::vector<Dims>& input_dims, const std::vector<const void*>* data);
  // `outputs`: the names of the values the plan computes (empty: the
  // session's outputs).
  Result<std::unique_ptr<Plan>> make_plan(const std::vector<Dims>& input_dims, const std::vector<const void*>* data,
                                          const std::vector<bool>& keyed,
                                          const std::vector<std::string>& outputs = {});
  // How a batch at these shapes runs: which of its first nodes run image
  // by image (none: the batch runs whole); `g` is the model folded and
  // fused at those shapes.
  HeadSplit split_batch(const Graph& g, const std::vector<Dims>& input_dims, const std::vector<bool>& keyed) const;
  // `outputs` names what the batch-1 plan computes (empty: the session's
  // outputs).
  Result<std::unique_ptr<Plan>> make_per_image_plan(const std::vector<Dims>& input_dims, int64_t images,
                                                    const std::vector<const void*>* data,
                                                    const std::vector<bool>& keyed,
                                                    const std::vector<std::string>& outputs = {});
  // The first split.nodes nodes of `g` (folded and fused at input_dims)
  // image by image, the rest as one batch.
  Result<std::unique_ptr<Plan>> make_split_plan(const Graph& g, const HeadSplit& split,
                                                const std::vector<Dims>& input_dims,
                                                const std::vector<const void*>* data, const std::vector<bool>& keyed);
  Status run_images(Plan& p);
  // Runs image i of the batch on `lane` (p itself or one of its lanes):
  // its inputs at image i's offset, its outputs copied to row i of p's.
  Status run_image(Plan& p, Plan& lane, int64_t i, dnnl::stream& stream, int threads);
  Status run_lanes(Plan& p);
  bool plan_matches(const Plan& p, const std::vector<Dims>& input_dims, const std::vector<const void*>* data) const;
  Status grow_arena(size_t bytes);
  WeightCache& weights() const { return own_weights_ ? *own_weights_ : model_->weights(); }

  std::shared_ptr<const Model> model_;
  SessionOptions options_;
  std::unique_ptr<WeightCache> own_weights_;  // with options.private_weights
  int threads_;
  std::vector<int> output_values_;
  dnnl::stream stream_;
  std::list<std::unique_ptr<Plan>> plans_;  // most recently used first
  Plan* current_ = nullptr;
  std::shared_ptr<uint8_t> arena_;
  size_t arena_bytes_ = 0;
  std::vector<const void*> input_ptrs_;
  std::vector<bool> value_keyed_;  // graph inputs that plans are made per value of
};

}  // namespace cnnrt
