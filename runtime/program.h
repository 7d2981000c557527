// Program: what the compiler makes of a graph with concrete shapes, and what
// the executor runs. A list of steps (oneDNN primitives or plain kernels)
// over a table of physical tensors, each with its layout and its storage.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/planner.h"
#include "runtime/tensor.h"

namespace cnnrt {

struct ProgTensor {
  enum class Storage {
    arena,     // planned into the session's arena
    input,     // the caller's input buffer, bound at each run
    constant,  // model-owned bytes (weights), shared by every session
    view,      // the same bytes as tensor `base`, from `view_offset`
  };
  std::string name;  // graph value name, or a descriptive name for temporaries
  DType dtype = DType::undefined;
  Dims dims;
  bool has_md = false;  // false for types oneDNN has no memory for (int64, bool)
  dnnl::memory::desc md;
  size_t bytes = 0;
  Storage storage = Storage::arena;
  int base = -1;           // view: the tensor whose bytes this one reuses
  size_t view_offset = 0;
  int input_index = -1;    // input: which graph input
  std::shared_ptr<const void> const_data;  // constant: keeps the bytes alive
  int value = -1;          // graph value id held here, -1 for temporaries
  int buffer = -1;         // arena: index into Program::plan.buffers
};

// What a plain kernel sees when it runs: pointers to its inputs and outputs
// in the order the lowering listed them (all in plain row-major layout).
struct KernelIO {
  const std::vector<const void*>& in;
  const std::vector<void*>& out;
};
using Kernel = std::function<Status(const KernelIO&)>;

struct Step {
  std::string node_name;  // the graph node this step belongs to
  std::string op_type;    // its op, or "Reorder" for inserted conversions
  std::string impl;       // the oneDNN implementation, or "cnnrt:<what>"
  std::string shapes;     // "[1,3,224,224] -> [1,64,112,112]" for profiles
  double flops = 0;       // multiply-adds counted as 2
  bool serial = false;    // made and run on one thread (too small to share)

  bool is_primitive = false;
  dnnl::primitive primitive;
  std::vector<std::pair<int, int>> args;  // (DNNL_ARG_*, tensor index)

  Kernel kernel;
  std::vector<int> kernel_inputs, kernel_outputs;  // tensor indices
};

struct Program {
  std::vector<ProgTensor> tensors;
  std::vector<Step> steps;
  std::vector<int> input_tensors;   // per graph input (Storage::input)
  std::vector<Dims> input_dims;     // the shapes this program was made for
  std::vector<int> output_tensors;  // per requested output: plain layout, in the arena
  MemoryPlan plan;

  // Follows views down to the tensor that owns the bytes.
  int root(int t) const {
    while (tensors[t].storage == ProgTensor::Storage::view) t = tensors[t].base;
    return t;
  }
  // Byte offset of tensor t inside its root.
  size_t offset_in_root(int t) const {
    size_t off = 0;
    while (tensors[t].storage == ProgTensor::Storage::view) {
      off += tensors[t].view_offset;
      t = tensors[t].base;
    }
    return off;
  }
};

}  // namespace cnnrt
