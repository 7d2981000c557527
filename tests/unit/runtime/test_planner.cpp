// The memory planner: property tests on random lifetimes (no two buffers
// alive together overlap; lower bound <= arena <= sum) and checks on plans
// the compiler makes for real graphs.
#include <doctest/doctest.h>

#include <algorithm>

#include "loaders/onnx_loader.h"
#include "runtime/model.h"
#include "runtime/planner.h"
#include "runtime/session.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt;
using namespace cnnrt::test;

namespace {

uint64_t next(uint64_t& s) {
  s = s * 6364136223846793005ull + 1442695040888963407ull;
  return s >> 33;
}

}  // namespace

TEST_CASE("planner: random lifetimes never overlap and stay within the bounds") {
  uint64_t seed = 42;
  for (int trial = 0; trial < 300; ++trial) {
    const int steps = 1 + static_cast<int>(next(seed) % 40);
    const int count = 1 + static_cast<int>(next(seed) % 60);
    std::vector<PlannedBuffer> bufs;
    for (int i = 0; i < count; ++i) {
      PlannedBuffer b;
      b.name = "t" + std::to_string(i);
      b.bytes = 1 + next(seed) % 5000;
      b.first = static_cast<int>(next(seed) % steps);
      b.last = b.first + static_cast<int>(next(seed) % (steps - b.first));
      bufs.push_back(b);
    }
    const MemoryPlan plan = plan_memory(bufs);
    std::string why;
    CAPTURE(trial);
    CHECK_MESSAGE(!plan_has_conflict(plan, &why), why);
    CHECK(plan.arena_bytes >= plan.lower_bound);
    CHECK(plan.arena_bytes <= plan.total_bytes);
    for (const auto& b : plan.buffers) {
      CHECK(b.offset % kArenaAlignment == 0);
      CHECK(b.offset + b.bytes <= plan.arena_bytes);
    }
  }
}

TEST_CASE("planner: a chain reuses memory down to the lower bound") {
  // t_i lives over steps [i, i+1]: at most two alive at once.
  std::vector<PlannedBuffer> bufs;
  for (int i = 0; i < 10; ++i) bufs.push_back({"t" + std::to_string(i), 1024u * static_cast<size_t>(10 - i), i, i + 1, 0});
  const MemoryPlan plan = plan_memory(bufs);
  CHECK(plan.arena_bytes == plan.lower_bound);
  CHECK(plan.total_bytes == 1024u * 55u);
}

TEST_CASE("planner: the report names every buffer and the totals") {
  // 100 bytes round up to 128 (64-byte alignment); both alive at step 1.
  const MemoryPlan plan = plan_memory({{"a", 100, 0, 1, 0}, {"b", 64, 1, 2, 0}});
  const std::string text = format_plan(plan);
  CHECK(text.find("a ") != std::string::npos);
  CHECK(text.find("arena bytes: 192") != std::string::npos);
  CHECK(text.find("lower bound (peak live): 192") != std::string::npos);
}

TEST_CASE("planner: plans of a real CNN have no conflicts and stay within 1.1x of the lower bound") {
  // Three conv-relu-pool stages and a classifier, at two batch sizes.
  ModelBuilder mb(13);
  mb.input("x", {-1, 3, 32, 32});
  int64_t c = 3;
  std::string prev = "x";
  for (int s = 0; s < 3; ++s) {
    const int64_t m = 8 << s;
    const std::string w = "w" + std::to_string(s), b = "b" + std::to_string(s);
    mb.initializer(w, {m, c, 3, 3}, random_floats(static_cast<size_t>(m * c * 9), s));
    mb.initializer(b, {m}, random_floats(static_cast<size_t>(m), s + 10));
    const std::string conv = "conv" + std::to_string(s), relu = "relu" + std::to_string(s),
                      pool = "pool" + std::to_string(s);
    mb.node("Conv", {prev, w, b}, {conv}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
    mb.node("Relu", {conv}, {relu});
    mb.node("MaxPool", {relu}, {pool},
            {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("strides", std::vector<int64_t>{2, 2})});
    prev = pool;
    c = m;
  }
  mb.node("Flatten", {prev}, {"flat"});
  mb.initializer("fc", {10, c * 16}, random_floats(static_cast<size_t>(10 * c * 16), 99));
  mb.node("Gemm", {"flat", "fc"}, {"logits"}, {Attr("transB", 1)}).node("Softmax", {"logits"}, {"prob"});
  mb.output("prob");
  const std::string bytes = mb.bytes();
  auto graph = load_onnx_bytes(bytes.data(), bytes.size(), "<memory>", "");
  REQUIRE(graph.ok());
  auto model = Model::create(std::move(graph).value());
  REQUIRE(model.ok());
  auto session = Session::create(model.value(), SessionOptions());
  REQUIRE(session.ok());
  for (int64_t batch : {1, 4}) {
    REQUIRE(session.value()->prepare({{batch, 3, 32, 32}}).ok());
    const MemoryPlan& plan = session.value()->program()->plan;
    std::string why;
    CAPTURE(batch);
    CHECK_MESSAGE(!plan_has_conflict(plan, &why), why);
    CHECK(plan.arena_bytes <= plan.lower_bound * 11 / 10);
    CHECK(plan.arena_bytes < plan.total_bytes);
  }
}
