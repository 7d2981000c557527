// The memory planner: given buffers with sizes and lifetimes over the step
// order, places them in one arena so that no two buffers alive at the same
// step share a byte. Greedy by size with best fit (as TFLite's and ONNX
// Runtime's planners do): the largest buffers are placed first, each in the
// smallest gap left between already-placed buffers whose lifetimes overlap.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cnnrt {

constexpr size_t kArenaAlignment = 64;

struct PlannedBuffer {
  std::string name;
  size_t bytes = 0;
  int first = 0;  // first step that writes or reads it
  int last = 0;   // last step that reads it (inclusive)
  size_t offset = 0;  // filled by plan_memory
};

struct MemoryPlan {
  std::vector<PlannedBuffer> buffers;
  size_t arena_bytes = 0;   // size of the arena
  size_t total_bytes = 0;   // sum of all buffers, i.e. without any reuse
  size_t lower_bound = 0;   // most bytes alive at any one step
};

// Assigns offsets; buffers keep their order.
MemoryPlan plan_memory(std::vector<PlannedBuffer> buffers);

// A human-readable table of the plan (one line per buffer plus totals).
std::string format_plan(const MemoryPlan& plan);

// True if two buffers alive at the same step overlap in the arena (a bug);
// used by tests and debug checks. Names the pair in *why.
bool plan_has_conflict(const MemoryPlan& plan, std::string* why);

}  // namespace cnnrt
