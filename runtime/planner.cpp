#include "runtime/planner.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <numeric>

#include "runtime/status.h"

namespace cnnrt {
namespace {

size_t align_up(size_t n) { return (n + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

bool lifetimes_overlap(const PlannedBuffer& a, const PlannedBuffer& b) {
  return a.first <= b.last && b.first <= a.last;
}

// Places buffers in the given order, each at the lowest-waste gap among the
// already placed buffers it is alive with. Returns the arena size.
size_t place_in_order(std::vector<PlannedBuffer>& bufs, const std::vector<size_t>& order) {
  std::vector<size_t> placed;
  size_t arena = 0;
  std::vector<size_t> live;
  for (size_t idx : order) {
    PlannedBuffer& b = bufs[idx];
    const size_t need = align_up(b.bytes);
    live.clear();
    for (size_t p : placed)
      if (lifetimes_overlap(bufs[p], b)) live.push_back(p);
    std::sort(live.begin(), live.end(), [&](size_t x, size_t y) { return bufs[x].offset < bufs[y].offset; });
    size_t best = std::numeric_limits<size_t>::max(), best_gap = std::numeric_limits<size_t>::max();
    size_t cursor = 0;
    for (size_t p : live) {
      if (bufs[p].offset > cursor) {
        const size_t gap = bufs[p].offset - cursor;
        if (gap >= need && gap < best_gap) {
          best = cursor;
          best_gap = gap;
        }
      }
      cursor = std::max(cursor, bufs[p].offset + align_up(bufs[p].bytes));
    }
    b.offset = best != std::numeric_limits<size_t>::max() ? best : cursor;
    arena = std::max(arena, b.offset + need);
    placed.push_back(idx);
  }
  return arena;
}

}  // namespace

MemoryPlan plan_memory(std::vector<PlannedBuffer> buffers) {
  MemoryPlan plan;
  int last_step = 0;
  for (const PlannedBuffer& b : buffers) {
    plan.total_bytes += align_up(b.bytes);
    last_step = std::max(last_step, b.last);
  }
  std::vector<size_t> live_at(static_cast<size_t>(last_step) + 1, 0);
  for (const PlannedBuffer& b : buffers)
    for (int s = std::max(b.first, 0); s <= b.last; ++s) live_at[s] += align_up(b.bytes);
  plan.lower_bound = live_at.empty() ? 0 : *std::max_element(live_at.begin(), live_at.end());

  // Two orders, keep the smaller arena: largest first (usually best), and
  // largest first among buffers alive at the busiest steps, which helps
  // graphs where one long-lived tensor spans many short ones.
  std::vector<size_t> by_size(buffers.size());
  std::iota(by_size.begin(), by_size.end(), 0);
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t a, size_t b) {
    if (align_up(buffers[a].bytes) != align_up(buffers[b].bytes))
      return align_up(buffers[a].bytes) > align_up(buffers[b].bytes);
    return (buffers[a].last - buffers[a].first) > (buffers[b].last - buffers[b].first);
  });
  std::vector<size_t> pressure(buffers.size(), 0);
  for (size_t i = 0; i < buffers.size(); ++i)
    for (int s = std::max(buffers[i].first, 0); s <= buffers[i].last; ++s)
      pressure[i] = std::max(pressure[i], live_at[s]);
  std::vector<size_t> by_pressure = by_size;
  std::stable_sort(by_pressure.begin(), by_pressure.end(),
                   [&](size_t a, size_t b) { return pressure[a] > pressure[b]; });

  std::vector<PlannedBuffer> first = buffers, second = buffers;
  const size_t arena1 = place_in_order(first, by_size);
  const size_t arena2 = place_in_order(second, by_pressure);
  plan.buffers = arena1 <= arena2 ? std::move(first) : std::move(second);
  plan.arena_bytes = std::min(arena1, arena2);
  return plan;
}

std::string format_plan(const MemoryPlan& plan) {
  std::string out = cat("memory plan: ", plan.buffers.size(), " buffers\n");
  char line[512];
  std::snprintf(line, sizeof line, "  %-40s %12s %12s %11s\n", "tensor", "bytes", "offset", "steps");
  out += line;
  for (const PlannedBuffer& b : plan.buffers) {
    std::snprintf(line, sizeof line, "  %-40.40s %12zu %12zu %5d-%-5d\n", b.name.c_str(), b.bytes, b.offset, b.first,
                  b.last);
    out += line;
  }
  auto ratio = [](size_t a, size_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 1.0; };
  std::snprintf(line, sizeof line,
                "arena bytes: %zu\nsum of intermediates (no reuse): %zu\nlower bound (peak live): %zu\n"
                "arena / lower bound: %.3f\n",
                plan.arena_bytes, plan.total_bytes, plan.lower_bound, ratio(plan.arena_bytes, plan.lower_bound));
  out += line;
  return out;
}

bool plan_has_conflict(const MemoryPlan& plan, std::string* why) {
  const auto& b = plan.buffers;
  for (size_t i = 0; i < b.size(); ++i)
    for (size_t j = i + 1; j < b.size(); ++j) {
      if (!lifetimes_overlap(b[i], b[j]) || b[i].bytes == 0 || b[j].bytes == 0) continue;
      const bool disjoint = b[i].offset + b[i].bytes <= b[j].offset || b[j].offset + b[j].bytes <= b[i].offset;
      if (!disjoint) {
        if (why) *why = cat("'", b[i].name, "' and '", b[j].name, "' are alive together and overlap");
        return true;
      }
    }
  return false;
}

}  // namespace cnnrt
