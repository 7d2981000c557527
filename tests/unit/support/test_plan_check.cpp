// The plan checker (tests/support/plan_check) on hand-made programs: it must
// accept sound plans (reuse after death, in-place, writes through views) and
// report each kind of unsound one, or the regression suite's plan tests
// (regression/plan/<model>) would prove nothing.
#include <doctest/doctest.h>

#include <string>

#include "support/plan_check.h"

using namespace cnnrt;

namespace {

// A program of plain kernels over arena tensors placed by hand.
struct ProgramBuilder {
  Program prog;

  // An arena tensor with its own buffer at `offset`.
  int buffer(const std::string& name, size_t bytes, size_t offset) {
    ProgTensor t;
    t.name = name;
    t.bytes = bytes;
    t.buffer = static_cast<int>(prog.plan.buffers.size());
    prog.plan.buffers.push_back({name, bytes, 0, 0, offset});
    prog.plan.arena_bytes = std::max(prog.plan.arena_bytes, offset + bytes);
    prog.tensors.push_back(t);
    return static_cast<int>(prog.tensors.size()) - 1;
  }
  // A view of `base`'s bytes from `offset`.
  int view(const std::string& name, int base, size_t bytes, size_t offset = 0) {
    ProgTensor t;
    t.name = name;
    t.bytes = bytes;
    t.storage = ProgTensor::Storage::view;
    t.base = base;
    t.view_offset = offset;
    prog.tensors.push_back(t);
    return static_cast<int>(prog.tensors.size()) - 1;
  }
  void step(std::vector<int> in, std::vector<int> out) {
    Step s;
    s.kernel_inputs = std::move(in);
    s.kernel_outputs = std::move(out);
    prog.steps.push_back(std::move(s));
  }
};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

}  // namespace

TEST_CASE("plan check accepts reuse of a dead tensor's bytes") {
  ProgramBuilder b;
  const int a = b.buffer("a", 64, 0), x = b.buffer("x", 64, 64), c = b.buffer("c", 64, 0);
  b.step({}, {a});
  b.step({a}, {x});
  b.step({x}, {c});  // a is dead: c may take its bytes
  b.prog.output_tensors = {c};
  CHECK(joined(test::plan_problems(b.prog)).empty());
}

TEST_CASE("plan check reports two live tensors sharing bytes") {
  ProgramBuilder b;
  const int a = b.buffer("a", 64, 0), x = b.buffer("x", 64, 32), c = b.buffer("c", 64, 128);
  b.step({}, {a});
  b.step({a}, {x});
  b.step({a, x}, {c});
  b.prog.output_tensors = {c};
  const auto problems = test::plan_problems(b.prog);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "'a' [0, 64) (steps 0-2) and 'x' [32, 96) (steps 1-2) share bytes while both are alive");
}

TEST_CASE("plan check sees the caller reading the outputs after the last step") {
  ProgramBuilder b;
  const int a = b.buffer("a", 64, 0), y = b.buffer("y", 64, 0);
  b.step({}, {a});
  b.step({}, {y});  // y overwrites a, which the caller still reads
  b.prog.output_tensors = {a, y};
  const auto problems = test::plan_problems(b.prog);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "'a' [0, 64) (steps 0-2) and 'y' [0, 64) (steps 1-2) share bytes while both are alive");
}

TEST_CASE("plan check accepts an in-place step and rejects a shifted one") {
  SUBCASE("same first byte, last read of the input") {
    ProgramBuilder b;
    const int a = b.buffer("a", 64, 0);
    const int y = b.view("y", a, 64);
    b.step({}, {a});
    b.step({a}, {y});
    b.prog.output_tensors = {y};
    CHECK(joined(test::plan_problems(b.prog)).empty());
  }
  SUBCASE("output starting inside the input") {
    ProgramBuilder b;
    const int a = b.buffer("a", 64, 0), y = b.buffer("y", 64, 16);
    b.step({}, {a});
    b.step({a}, {y});
    b.prog.output_tensors = {y};
    const auto problems = test::plan_problems(b.prog);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "'a' [0, 64) (steps 0-1) and 'y' [16, 80) (steps 1-2) share bytes while both are alive");
  }
}

TEST_CASE("plan check reports an in-place write over data still to be read") {
  ProgramBuilder b;
  const int a = b.buffer("a", 64, 0), c = b.buffer("c", 64, 64);
  const int y = b.view("y", a, 64);
  b.step({}, {a});
  b.step({a}, {y});  // overwrites a ...
  b.step({a}, {c});  // ... which this step still reads
  b.prog.output_tensors = {y, c};
  const auto problems = test::plan_problems(b.prog);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "'y' [0, 64) is written at step 1 over 'a' [0, 64), which step 2 still reads");
}

TEST_CASE("plan check accepts outputs written through views, whole or in slices") {
  ProgramBuilder b;
  const int out = b.buffer("out", 64, 0), other = b.buffer("other", 32, 64);
  const int whole = b.view("out@view", out, 64);
  b.step({}, {whole});  // an op writing its output through a reshaped view
  const int cat_out = b.buffer("cat", 64, 128);
  const int lo = b.view("cat@lo", cat_out, 32, 0), hi = b.view("cat@hi", cat_out, 32, 32);
  b.step({out}, {lo});
  b.step({out}, {other});
  b.step({other}, {hi});  // slices of one buffer, read as a whole below
  b.step({cat_out}, {other});
  b.prog.output_tensors = {other};
  CHECK(joined(test::plan_problems(b.prog)).empty());

  SUBCASE("a slice's bytes reused before the whole is read") {
    const int intruder = b.buffer("intruder", 16, 128);  // inside cat@lo
    b.prog.steps.insert(b.prog.steps.begin() + 3, Step());
    b.prog.steps[3].kernel_outputs = {intruder};
    b.prog.steps[3].kernel_inputs = {intruder};
    const auto problems = test::plan_problems(b.prog);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] ==
          "'cat' [128, 192) (steps 1-5) and 'intruder' [128, 144) (steps 3-3) share bytes while both are alive");
  }
}

TEST_CASE("plan check reports a buffer past the arena's end") {
  ProgramBuilder b;
  const int a = b.buffer("a", 64, 0);
  b.step({}, {a});
  b.prog.output_tensors = {a};
  b.prog.plan.arena_bytes = 48;
  const auto problems = test::plan_problems(b.prog);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "'a' [0, 64) ends past the arena (48 bytes)");
}
