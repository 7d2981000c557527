// Add against a naive reference: numpy broadcasting over every shape
// pattern (scalars, size-1 dims, rank mismatches, either side stretching),
// the legacy broadcast/axis attributes of opsets 1 and 6, integer types
// (exact, wrapping), producer layouts kept, fused activations, and
// the errors a bad Add gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return static_cast<float>(a) + static_cast<float>(b); }

}  // namespace

TEST_CASE("Add broadcasts like numpy") {
  for (int opset : {7, 13, 14})
    for (const auto& c : broadcast_cases()) check_binary("Add", opset, {}, c.first, c.second, ref, -3, 3, -3, 3, 0, 0);
}

TEST_CASE("Add opsets 1 and 6: the broadcast and axis attributes") {
  struct Case {
    Dims a, b, b_as;
    std::vector<Attr> attrs;
  };
  const std::vector<Case> cases = {
      {{2, 3, 4, 5}, {2, 3, 4, 5}, {2, 3, 4, 5}, {}},
      {{2, 3, 4, 5}, {4, 5}, {1, 1, 4, 5}, {Attr("broadcast", 1)}},
      {{2, 3, 4, 5}, {3, 4}, {1, 3, 4, 1}, {Attr("broadcast", 1), Attr("axis", 1)}},
      {{2, 3, 4, 5}, {3}, {1, 3, 1, 1}, {Attr("broadcast", 1), Attr("axis", 1)}},
      {{2, 3, 4, 5}, {2}, {2, 1, 1, 1}, {Attr("broadcast", 1), Attr("axis", 0)}},
      {{2, 3, 4, 5}, {5}, {1, 1, 1, 5}, {Attr("broadcast", 1), Attr("axis", -1)}},
      {{2, 3}, {}, {1, 1}, {Attr("broadcast", 1)}},
  };
  for (int opset : {1, 6})
    for (const Case& c : cases) check_binary("Add", opset, c.attrs, c.a, c.b, ref, -3, 3, -3, 3, 0, 0, &c.b_as);
}

TEST_CASE("Add of two Conv outputs folds into the second Conv as a sum post-op, Relu too; kept, it stays in their layout") {
  const Dims xd = {1, 16, 7, 9};
  const auto x = random_floats(element_count(xd), 1, -1, 1);
  const auto w1 = random_floats(16 * 16, 2, -0.5f, 0.5f), w2 = random_floats(16 * 16, 3, -0.5, 0.5);
  ModelBuilder mb(14);
  mb.input("x", xd).initializer("w1", {16, 16, 1, 1}, w1).initializer("w2", {16, 16, 1, 1}, w2);
  mb.initializer("b2", {16}, std::vector<float>(16, 0.0f));
  mb.node("Conv", {"x", "w1"}, {"a"}).node("Conv", {"x", "w2", "b2"}, {"b"}).node("Add", {"a", "b"}, {"s"});
  mb.node("Relu", {"s"}, {"y"}).output("y");
  std::vector<float> want(x.size());
  for (int64_t m = 0; m < 16; ++m)
    for (int64_t p = 0; p < 63; ++p) {
      double a = 0, b = 0.0f;
      for (int64_t c = 0; c < 16; ++c) {
        a += static_cast<double>(x[c * 63 + p]) * w1[m * 16 + c];
        b += static_cast<double>(x[c * 63 + p]) * w2[m * 16 + c];
      }
      want[m * 63 + p] = static_cast<float>(std::max(0.0, a + b));
    }
  RunOptions opts;
  opts.profile = true;
  SUBCASE("fused: two Conv steps, the Add and the Relu inside the second") {
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)}, opts);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4));
    const auto& ops = r.step_ops;
    CHECK(std::count(ops.begin(), ops.end(), "Conv") == 2);
    CHECK(std::find(ops.begin(), ops.end(), "Add") == ops.end());
    CHECK(std::find(ops.begin(), ops.end(), "Relu") == ops.end());
    // Only the graph's input and output change layout (NCHW <-> the Conv's).
    CHECK(std::count(ops.begin(), ops.end(), "Reorder") <= 2);
  }
  SUBCASE("the second Conv's output is kept: Add runs on the Conv layouts with the Relu inside") {
    opts.extra_outputs = {"b"};
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)}, opts);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4));
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

TEST_CASE("Add errors") {
  SUBCASE("shapes that do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {4}, {})};
    const RunResult r = load_model(one_node_model("Add", 14, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Add, domain ai.onnx, opset 14): shapes [2,3] and [4] cannot be broadcast "
                     "together (dim 1: 3 vs 4)");
  }
  SUBCASE("different element types") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::ints("b", {2}, {})};
    const RunResult r = load_model(one_node_model("Add", 14, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Add, domain ai.onnx, opset 14): the inputs have different element types "
                     "(float and int64)");
  }
  SUBCASE("opset 6 without broadcast=1 needs equal shapes") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model("Add", 6, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Add, domain ai.onnx, opset 6): A [2,3] and B [3] must have the same shape "
                     "unless the attribute broadcast is 1");
  }
  SUBCASE("opset 6 axis that does not place B inside A") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model("Add", 6, in, {Attr("broadcast", 1), Attr("axis", 2)}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Add, domain ai.onnx, opset 6): axis 2 does not place B [3] inside A [2,3]");
  }
  SUBCASE("float16 is refused") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_FLOAT16, {2}, std::vector<uint16_t>{}),
                                        HostTensor::typed("b", CNNRT_FLOAT16, {2}, std::vector<uint16_t>{})};
    const RunResult r = load_model(one_node_model("Add", 14, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (Add, domain ai.onnx, opset 14): input 0 has element type float16; "
                     "supported: float, integer types");
  }
}
