#include "runtime/executor.h"

#include <omp.h>

#include <chrono>

namespace cnnrt {

void Executor::set_pointer(int t, void* p) {
  ptr_[t] = p;
  if (prog_->tensors[t].has_md) mem_[t].set_data_handle(p);
}

Status Executor::bind(const Program& prog, uint8_t* arena, const dnnl::engine& engine) {
  prog_ = &prog;
  const size_t n = prog.tensors.size();
  mem_.assign(n, dnnl::memory());
  ptr_.assign(n, nullptr);
  input_backed_.clear();
  for (size_t t = 0; t < n; ++t) {
    const ProgTensor& pt = prog.tensors[t];
    if (pt.has_md) mem_[t] = dnnl::memory(pt.md, engine, nullptr);
    const ProgTensor& root = prog.tensors[prog.root(static_cast<int>(t))];
    if (root.storage == ProgTensor::Storage::input) input_backed_.push_back(static_cast<int>(t));
  }
  rebind_arena(arena);
  for (size_t t = 0; t < n; ++t) {
    const int r = prog.root(static_cast<int>(t));
    if (prog.tensors[r].storage == ProgTensor::Storage::constant)
      set_pointer(static_cast<int>(t), static_cast<uint8_t*>(const_cast<void*>(prog.tensors[r].const_data.get())) +
                                           prog.offset_in_root(static_cast<int>(t)));
  }
  args_.assign(prog.steps.size(), {});
  kernel_in_.assign(prog.steps.size(), {});
  kernel_out_.assign(prog.steps.size(), {});
  for (size_t s = 0; s < prog.steps.size(); ++s) {
    const Step& step = prog.steps[s];
    for (auto& a : step.args) args_[s].push_back({a.first, mem_[a.second].get()});
    kernel_in_[s].resize(step.kernel_inputs.size());
    kernel_out_[s].resize(step.kernel_outputs.size());
  }
  return ok_status();
}

void Executor::rebind_arena(uint8_t* arena) {
  for (size_t t = 0; t < prog_->tensors.size(); ++t) {
    const int r = prog_->root(static_cast<int>(t));
    const ProgTensor& root = prog_->tensors[r];
    if (root.storage != ProgTensor::Storage::arena) continue;
    // Tensors nobody touches (never planned) get no memory at all.
    if (root.buffer < 0) continue;
    set_pointer(static_cast<int>(t),
                arena + prog_->plan.buffers[root.buffer].offset + prog_->offset_in_root(static_cast<int>(t)));
  }
}

Status Executor::run(const std::vector<const void*>& inputs, dnnl::stream& stream, int threads,
                     std::vector<StepTiming>* timings) {
  for (int t : input_backed_) {
    const int r = prog_->root(t);
    set_pointer(t, static_cast<uint8_t*>(const_cast<void*>(inputs[prog_->tensors[r].input_index])) +
                       prog_->offset_in_root(t));
  }
  using clock = std::chrono::steady_clock;
  int current_threads = threads;
  for (size_t s = 0; s < prog_->steps.size(); ++s) {
    const Step& step = prog_->steps[s];
    const auto start = timings ? clock::now() : clock::time_point();
    // Implementations that size their parallel loops at run time read the
    // OpenMP setting then; keep it consistent with how the step was made.
    const int want = step.serial ? 1 : threads;
    if (want != current_threads) {
      omp_set_num_threads(want);
      current_threads = want;
    }
    if (step.is_primitive) {
      const dnnl_status_t st = dnnl_primitive_execute(step.primitive.get(), stream.get(),
                                                      static_cast<int>(args_[s].size()), args_[s].data());
      if (st != dnnl_success)
        return internal_error("node '", step.node_name, "' (", step.op_type, "): oneDNN execution failed (status ",
                              static_cast<int>(st), ")");
    } else {
      // Plain kernels read memory that earlier primitives may still be
      // writing on the stream (an in-order CPU stream runs them synchronously,
      // but be explicit).
      stream.wait();
      for (size_t i = 0; i < step.kernel_inputs.size(); ++i) kernel_in_[s][i] = ptr_[step.kernel_inputs[i]];
      for (size_t i = 0; i < step.kernel_outputs.size(); ++i) kernel_out_[s][i] = ptr_[step.kernel_outputs[i]];
      Status st = step.kernel(KernelIO{kernel_in_[s], kernel_out_[s]});
      if (!st.ok()) return st.with_prefix(cat("node '", step.node_name, "' (", step.op_type, "): "));
    }
    if (timings) {
      stream.wait();
      (*timings)[s].ms += std::chrono::duration<double, std::milli>(clock::now() - start).count();
      (*timings)[s].runs += 1;
    }
  }
  stream.wait();
  if (current_threads != threads) omp_set_num_threads(threads);
  return ok_status();
}

}  // namespace cnnrt
