// cnnrt-plan-check: the memory plan of real models, checked from outside.
//
//   cnnrt-plan-check [--max-ratio R] DIR...
//
// For each folder in the ONNX backend test layout, compiles model.onnx for the
// input shapes of every test_data_set_N and checks the plan: no two tensors
// alive at the same step share arena bytes (re-derived from the steps by
// tests/support/plan_check, and as the planner itself sees it), and the arena
// is at most R (default 1.1) times the lower bound, the most bytes alive at
// any one step. Exit 0 if every plan passes, 1 otherwise.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "loaders/onnx_loader.h"
#include "loaders/onnx_tensor.h"
#include "runtime/model.h"
#include "runtime/planner.h"
#include "runtime/session.h"
#include "support/plan_check.h"

namespace fs = std::filesystem;
using namespace cnnrt;

namespace {

// Input shapes of one test set: input_K.pb feeds graph input K.
Result<std::vector<Dims>> input_shapes(const fs::path& set, size_t n_inputs) {
  std::vector<Dims> dims;
  for (size_t k = 0; k < n_inputs; ++k) {
    const fs::path file = set / ("input_" + std::to_string(k) + ".pb");
    std::ifstream in(file, std::ios::binary);
    if (!in) return io_error("cannot read ", file.string());
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string name;
    CNNRT_ASSIGN_OR_RETURN(TensorPtr t, decode_tensor_bytes(bytes.data(), bytes.size(), &name));
    dims.push_back(t->dims);
  }
  return dims;
}

std::string shapes_str(const std::vector<Dims>& dims) {
  std::string s;
  for (const Dims& d : dims) s += (s.empty() ? "" : " ") + dims_str(d);
  return s;
}

// Checks every test set's shapes of one model folder; prints a line each.
bool check_folder(const fs::path& dir, double max_ratio) {
  const std::string label = dir.filename().string();
  auto graph = load_onnx_file((dir / "model.onnx").string());
  if (!graph.ok()) {
    std::printf("FAIL %s: %s\n", label.c_str(), graph.status().message().c_str());
    return false;
  }
  auto model = Model::create(std::move(graph).value());
  if (!model.ok()) {
    std::printf("FAIL %s: %s\n", label.c_str(), model.status().message().c_str());
    return false;
  }
  auto session = Session::create(model.value(), SessionOptions());
  if (!session.ok()) {
    std::printf("FAIL %s: %s\n", label.c_str(), session.status().message().c_str());
    return false;
  }
  std::vector<fs::path> sets;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) {
    std::printf("FAIL %s: no test_data_set_* folders\n", label.c_str());
    return false;
  }
  bool ok = true;
  for (const fs::path& set : sets) {
    auto dims = input_shapes(set, model.value()->inputs().size());
    Status st = dims.ok() ? session.value()->prepare(dims.value()) : dims.status();
    if (!st.ok()) {
      std::printf("FAIL %s/%s: %s\n", label.c_str(), set.filename().c_str(), st.message().c_str());
      ok = false;
      continue;
    }
    // A batch that runs its first layers image by image has two plans:
    // that head's (batch 1) and the batched rest's; each is checked.
    const std::vector<const Program*> programs = session.value()->programs();
    for (size_t part = 0; part < programs.size(); ++part) {
      const Program& prog = *programs[part];
      std::vector<std::string> problems = test::plan_problems(prog);
      std::string why;
      if (plan_has_conflict(prog.plan, &why)) problems.push_back("planner: " + why);
      const double ratio = prog.plan.lower_bound ? static_cast<double>(prog.plan.arena_bytes) /
                                                       static_cast<double>(prog.plan.lower_bound)
                                                 : 1.0;
      if (ratio > max_ratio) problems.push_back("arena / lower bound " + std::to_string(ratio) + " exceeds " +
                                                std::to_string(max_ratio));
      const char* what = programs.size() == 1 ? "" : part == 0 ? " (image-by-image head)" : " (batched rest)";
      std::printf("%s %s %s%s: arena %zu bytes, lower bound %zu, ratio %.3f, no reuse %zu, %zu buffers, %zu steps\n",
                  problems.empty() ? "PASS" : "FAIL", label.c_str(), shapes_str(dims.value()).c_str(), what,
                  prog.plan.arena_bytes, prog.plan.lower_bound, ratio, prog.plan.total_bytes,
                  prog.plan.buffers.size(), prog.steps.size());
      for (const std::string& p : problems) std::printf("  %s\n", p.c_str());
      ok = ok && problems.empty();
    }
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  double max_ratio = 1.1;
  std::vector<fs::path> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--max-ratio" && i + 1 < argc) {
      char* end = nullptr;
      max_ratio = std::strtod(argv[++i], &end);
      if (!end || *end || !(max_ratio >= 1.0)) {
        std::fprintf(stderr, "cnnrt-plan-check: --max-ratio needs a number >= 1, got '%s'\n", argv[i]);
        return 2;
      }
    } else if (a.rfind("-", 0) == 0) {
      std::fprintf(stderr, "usage: cnnrt-plan-check [--max-ratio R] DIR...\n");
      return 2;
    } else {
      dirs.emplace_back(a);
    }
  }
  if (dirs.empty()) {
    std::fprintf(stderr, "usage: cnnrt-plan-check [--max-ratio R] DIR...\n");
    return 2;
  }
  bool ok = true;
  for (const fs::path& d : dirs) ok = check_folder(d, max_ratio) && ok;
  return ok ? 0 : 1;
}
