// The executor: a Program bound to memory (the session's arena, the model's
// constants, the caller's inputs) and run step by step on a oneDNN stream.
// Binding allocates; running does not.
#pragma once

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/program.h"

namespace cnnrt {

struct StepTiming {
  double ms = 0;   // accumulated over profiled runs
  int runs = 0;
};

class Executor {
 public:
  // Creates the memory objects; `arena` must hold prog.plan.arena_bytes.
  Status bind(const Program& prog, uint8_t* arena, const dnnl::engine& engine);
  // Points every arena tensor at a new arena (after the session grew it).
  void rebind_arena(uint8_t* arena);
  // Runs all steps; inputs[i] is the data of graph input i (row-major, the
  // shape the program was made for). With `timings`, waits after each step
  // and adds its wall time.
  // `threads` is the session's thread count (serial steps run on one).
  Status run(const std::vector<const void*>& inputs, dnnl::stream& stream, int threads,
             std::vector<StepTiming>* timings);
  // Where tensor t's bytes are after the last run.
  const void* data(int t) const { return ptr_[t]; }

 private:
  void set_pointer(int t, void* p);

  const Program* prog_ = nullptr;
  std::vector<dnnl::memory> mem_;  // per tensor with a oneDNN layout
  std::vector<void*> ptr_;         // per tensor
  // Per primitive step, the arguments as oneDNN's C API takes them: built
  // once, so running a step allocates nothing (the C++ execute() copies its
  // argument map into a new vector on every call).
  std::vector<std::vector<dnnl_exec_arg_t>> args_;
  std::vector<std::vector<const void*>> kernel_in_;   // per step (kernels only)
  std::vector<std::vector<void*>> kernel_out_;
  std::vector<int> input_backed_;  // tensors whose bytes are a caller's input
};

}  // namespace cnnrt
