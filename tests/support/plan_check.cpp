#include "support/plan_check.h"

#include <algorithm>
#include <climits>

#include "runtime/status.h"

namespace cnnrt::test {
namespace {

// oneDNN arguments a primitive writes: destinations (DNNL_ARG_DST_0..2, the
// concat/sum-style multiple destinations), its workspace and scratchpad.
// Every other argument is read.
bool is_written_arg(int arg) {
  return (arg >= DNNL_ARG_DST_0 && arg <= DNNL_ARG_DST_2) ||
         (arg >= DNNL_ARG_MULTIPLE_DST && arg < DNNL_ARG_MULTIPLE_DST + DNNL_ARG_MULTIPLE_SRC) ||
         arg == DNNL_ARG_WORKSPACE || arg == DNNL_ARG_SCRATCHPAD;
}

struct Use {
  std::vector<int> reads, writes;  // steps, ascending
};

struct Range {
  size_t begin = 0, end = 0;  // arena bytes [begin, end)
  bool operator==(const Range& o) const { return begin == o.begin && end == o.end; }
};

}  // namespace

std::vector<std::string> plan_problems(const Program& prog) {
  std::vector<std::string> problems;
  const int nsteps = static_cast<int>(prog.steps.size());
  const size_t nt = prog.tensors.size();

  auto in_arena = [&](int t) {
    const ProgTensor& r = prog.tensors[prog.root(t)];
    return r.storage == ProgTensor::Storage::arena && r.buffer >= 0;
  };
  auto range_of = [&](int t) {
    const ProgTensor& r = prog.tensors[prog.root(t)];
    const size_t begin = prog.plan.buffers[r.buffer].offset + prog.offset_in_root(t);
    return Range{begin, begin + prog.tensors[t].bytes};
  };
  auto describe = [&](int t) {
    const Range r = range_of(t);
    return cat("'", prog.tensors[t].name, "' [", r.begin, ", ", r.end, ")");
  };

  // Which steps read and write each tensor; the caller reads the outputs
  // after the last step.
  std::vector<Use> use(nt);
  for (int s = 0; s < nsteps; ++s) {
    const Step& step = prog.steps[s];
    for (const auto& a : step.args) (is_written_arg(a.first) ? use[a.second].writes : use[a.second].reads).push_back(s);
    for (int t : step.kernel_inputs) use[t].reads.push_back(s);
    for (int t : step.kernel_outputs) use[t].writes.push_back(s);
  }
  for (int t : prog.output_tensors) use[t].reads.push_back(nsteps);

  for (size_t t = 0; t < nt; ++t) {
    if (!in_arena(static_cast<int>(t))) continue;
    const Range r = range_of(static_cast<int>(t));
    if (r.end > prog.plan.arena_bytes)
      problems.push_back(cat(describe(static_cast<int>(t)), " ends past the arena (", prog.plan.arena_bytes, " bytes)"));
  }

  // Contents. A root tensor is its own; a view no step writes shows its
  // base's. A written view is new content replacing its base's (in place)
  // unless that content is read after the write: then the view fills it,
  // whole (an op writing its output through a reshaped view) or in part (a
  // producer writing its slice of a larger buffer). Writing over all of a
  // content that was already alive and is still to be read destroys it.
  std::vector<int> content(nt, -1);
  for (size_t t = 0; t < nt; ++t) {  // views come after their bases
    const ProgTensor& pt = prog.tensors[t];
    content[t] = pt.storage != ProgTensor::Storage::view || !use[t].writes.empty() ? static_cast<int>(t)
                                                                                   : content[pt.base];
  }
  auto touched = [&](int c, int lo, int hi) {  // any use of content c in steps [lo, hi]
    for (size_t u = 0; u < nt; ++u) {
      if (content[u] != c) continue;
      for (const std::vector<int>* steps : {&use[u].reads, &use[u].writes})
        for (int s : *steps)
          if (s >= lo && s <= hi) return s;
    }
    return -1;
  };
  auto last_read = [&](int c) {
    int last = -1;
    for (size_t u = 0; u < nt; ++u)
      if (content[u] == c && !use[u].reads.empty()) last = std::max(last, use[u].reads.back());
    return last;
  };
  for (size_t t = 0; t < nt; ++t) {
    const ProgTensor& pt = prog.tensors[t];
    if (pt.storage != ProgTensor::Storage::view || use[t].writes.empty() || !in_arena(static_cast<int>(t))) continue;
    const int base = content[pt.base];
    const int written = use[t].writes.front();
    const int base_last_read = last_read(base);
    if (base_last_read <= written) continue;  // replaces the base's content
    if (touched(base, 0, written - 1) >= 0 && range_of(static_cast<int>(t)) == range_of(base)) {
      problems.push_back(cat(describe(static_cast<int>(t)), " is written at step ", written, " over ", describe(base),
                             ", which step ", base_last_read, " still reads"));
    }
    // Either way one content from here on (reported once, not again below).
    for (size_t u = 0; u < nt; ++u)
      if (content[u] == static_cast<int>(t)) content[u] = base;
  }

  // Lifetime of each content: first to last step touching any tensor of it.
  std::vector<int> first(nt, INT_MAX), last(nt, -1), first_write(nt, INT_MAX), last_read_step(nt, -1);
  for (size_t t = 0; t < nt; ++t) {
    if (!in_arena(static_cast<int>(t))) continue;
    const int c = content[t];
    for (int s : use[t].reads) {
      first[c] = std::min(first[c], s);
      last[c] = std::max(last[c], s);
      last_read_step[c] = std::max(last_read_step[c], s);
    }
    for (int s : use[t].writes) {
      first[c] = std::min(first[c], s);
      last[c] = std::max(last[c], s);
      first_write[c] = std::min(first_write[c], s);
    }
  }
  std::vector<int> contents;
  for (size_t t = 0; t < nt; ++t)
    if (content[t] == static_cast<int>(t) && last[t] >= 0 && in_arena(static_cast<int>(t)) && prog.tensors[t].bytes)
      contents.push_back(static_cast<int>(t));

  for (size_t i = 0; i < contents.size(); ++i)
    for (size_t j = i + 1; j < contents.size(); ++j) {
      int a = contents[i], b = contents[j];
      if (first[a] > first[b]) std::swap(a, b);  // a starts first
      if (last[a] < first[b]) continue;          // not alive together
      const Range ra = range_of(a), rb = range_of(b);
      if (ra.end <= rb.begin || rb.end <= ra.begin) continue;  // disjoint bytes
      // In place: b is written, from a's first byte, by the step that reads
      // a for the last time (oneDNN runs a primitive in place only when its
      // source and destination start at the same address).
      const bool in_place =
          last[a] == first[b] && first_write[b] == first[b] && last_read_step[a] == last[a] && ra.begin == rb.begin;
      if (in_place) continue;
      problems.push_back(cat(describe(a), " (steps ", first[a], "-", last[a], ") and ", describe(b), " (steps ",
                             first[b], "-", last[b], ") share bytes while both are alive"));
    }
  return problems;
}

}  // namespace cnnrt::test
