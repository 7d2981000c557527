// Add against a naive reference: numpy broadcasting over every shape
// pattern (scalars, size-1 dims, rank mismatches, either side stretching),
// the legacy broadcast/axis attributes of opsets 1 and 6, integer types
// (exact, wrapping), producer layouts kept, fused activations, and
// the errors a bad Add gives.
// The cases all four arithmetic ops share are in arith_cases.h.
#include <doctest/doctest.h>

#include <algorithm>

#include "arith_cases.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return static_cast<float>(a) + static_cast<float>(b); }

const ArithOp op = {"Add", ref};

}  // namespace

TEST_CASE("Add broadcasts like numpy") { check_arith_broadcasts(op); }

TEST_CASE("Add with broadcasts oneDNN has no jit kernel for (along the last dim)") {
  check_arith_unusual_broadcasts(op);
}

TEST_CASE("Add opsets 1 and 6: the broadcast and axis attributes") { check_arith_legacy(op); }

TEST_CASE("Add of two Conv outputs folds into the second Conv as a sum post-op, Relu too; kept, it stays in their layout") {
  const ConvPair p = conv_pair(op);
  RunOptions opts;
  opts.profile = true;
  SUBCASE("fused: two Conv steps, the Add and the Relu inside the second") {
    const RunResult r = p.run(opts);
    const auto& ops = r.step_ops;
    CHECK(std::count(ops.begin(), ops.end(), "Conv") == 2);
    CHECK(std::find(ops.begin(), ops.end(), "Add") == ops.end());
    CHECK(std::find(ops.begin(), ops.end(), "Relu") == ops.end());
    // Only the graph's input and output change layout (NCHW <-> the Conv's).
    CHECK(std::count(ops.begin(), ops.end(), "Reorder") <= 2);
  }
  SUBCASE("the second Conv's output is kept: Add runs on the Conv layouts with the Relu inside") {
    opts.extra_outputs = {"b"};
    const RunResult r = p.run(opts);
    const auto& ops = r.step_ops;
    CHECK(std::find(ops.begin(), ops.end(), "Relu") == ops.end());
    // The first Conv's output still folds the Add in; or else the Add
    // follows a Conv directly, with no conversion in between.
    const auto it = std::find(ops.begin(), ops.end(), "Add");
    if (it != ops.end()) CHECK(*(it - 1) == "Conv");
    // Input, and the two graph outputs back to NCHW: nothing for the Add.
    CHECK(std::count(ops.begin(), ops.end(), "Reorder") <= 3);
  }
}

TEST_CASE("Add on integer types is exact") {
  SUBCASE("uint8 wraps around") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_UINT8, {4}, std::vector<uint8_t>{200, 255, 0, 7}),
                                        HostTensor::typed("b", CNNRT_UINT8, {4}, std::vector<uint8_t>{100, 1, 0, 8})};
    const RunResult r = run_model(one_node_model("Add", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<uint8_t>() == std::vector<uint8_t>{44, 0, 0, 15});
  }
  SUBCASE("int32 beyond 2^24 and wrapping at 2^31") {
    const std::vector<HostTensor> in = {
        HostTensor::typed("a", CNNRT_INT32, {3}, std::vector<int32_t>{16777217, 2147483647, -5}),
        HostTensor::typed("b", CNNRT_INT32, {}, std::vector<int32_t>{2})};
    const RunResult r = run_model(one_node_model("Add", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<int32_t>() == std::vector<int32_t>{16777219, -2147483647, -3});
  }
  SUBCASE("int64 with broadcasting (shape arithmetic)") {
    const std::vector<HostTensor> in = {HostTensor::ints("a", {2, 1}, {1, int64_t{1} << 40}),
                                        HostTensor::ints("b", {3}, {10, 20, 30})};
    const RunResult r = run_model(one_node_model("Add", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == Dims{2, 3});
    const int64_t big = int64_t{1} << 40;
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{11, 21, 31, big + 10, big + 20, big + 30});
  }
}

TEST_CASE("Add errors") { run_arith_errors(op); }
