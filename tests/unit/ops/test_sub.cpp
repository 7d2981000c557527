// Sub against a naive reference: numpy broadcasting over every shape
// pattern (scalars, size-1 dims, rank mismatches, either side stretching),
// the legacy broadcast/axis attributes of opsets 1 and 6, integer types
// (exact, wrapping), producer layouts kept, fused activations, and
// the errors a bad Sub gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

double ref(double a, double b) { return static_cast<float>(a) - static_cast<float>(b); }

}  // namespace

TEST_CASE("Sub broadcasts like numpy") {
  for (int opset : {7, 13, 14})
    for (const auto& c : broadcast_cases()) check_binary("Sub", opset, {}, c.first, c.second, ref, -3, 3, -3, 3, 0, 0);
}

TEST_CASE("Sub opsets 1 and 6: the broadcast and axis attributes") {
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
    for (const Case& c : cases) check_binary("Sub", opset, c.attrs, c.a, c.b, ref, -3, 3, -3, 3, 0, 0, &c.b_as);
}

TEST_CASE("Sub of two Conv outputs stays in their layout and fuses a Relu") {
  const Dims xd = {1, 16, 7, 9};
  const auto x = random_floats(element_count(xd), 1, -1, 1);
  const auto w1 = random_floats(16 * 16, 2, -0.5f, 0.5f), w2 = random_floats(16 * 16, 3, -0.5, 0.5);
  ModelBuilder mb(14);
  mb.input("x", xd).initializer("w1", {16, 16, 1, 1}, w1).initializer("w2", {16, 16, 1, 1}, w2);
  mb.initializer("b2", {16}, std::vector<float>(16, 0.0f));
  mb.node("Conv", {"x", "w1"}, {"a"}).node("Conv", {"x", "w2", "b2"}, {"b"}).node("Sub", {"a", "b"}, {"s"});
  mb.node("Relu", {"s"}, {"y"}).output("y");
  std::vector<float> want(x.size());
  for (int64_t m = 0; m < 16; ++m)
    for (int64_t p = 0; p < 63; ++p) {
      double a = 0, b = 0.0f;
      for (int64_t c = 0; c < 16; ++c) {
        a += static_cast<double>(x[c * 63 + p]) * w1[m * 16 + c];
        b += static_cast<double>(x[c * 63 + p]) * w2[m * 16 + c];
      }
      want[m * 63 + p] = static_cast<float>(std::max(0.0, a - b));
    }
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-4));
  // The Relu ran inside the Sub, and nothing converted the Conv outputs for it.
  const auto& ops = r.step_ops;
  CHECK(std::find(ops.begin(), ops.end(), "Relu") == ops.end());
  const auto it = std::find(ops.begin(), ops.end(), "Sub");
  REQUIRE(it != ops.end());
  CHECK(*(it - 1) == "Conv");
}

TEST_CASE("Sub on integer types is exact") {
  SUBCASE("uint8 wraps around") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_UINT8, {3}, std::vector<uint8_t>{5, 0, 200}),
                                        HostTensor::typed("b", CNNRT_UINT8, {3}, std::vector<uint8_t>{6, 255, 100})};
    const RunResult r = run_model(one_node_model("Sub", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].as<uint8_t>() == std::vector<uint8_t>{255, 1, 100});
  }
  SUBCASE("int64 with the first operand broadcast") {
    const std::vector<HostTensor> in = {HostTensor::ints("a", {}, {100}), HostTensor::ints("b", {2, 2}, {1, 2, 3, -4})};
    const RunResult r = run_model(one_node_model("Sub", 14, in), in);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].i64 == std::vector<int64_t>{99, 98, 97, 104});
  }
}

TEST_CASE("Sub errors") {
  SUBCASE("shapes that do not broadcast") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {4}, {})};
    const RunResult r = load_model(one_node_model("Sub", 14, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sub, domain ai.onnx, opset 14): shapes [2,3] and [4] cannot be broadcast "
                     "together (dim 1: 3 vs 4)");
  }
  SUBCASE("different element types") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2}, {}), HostTensor::ints("b", {2}, {})};
    const RunResult r = load_model(one_node_model("Sub", 14, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sub, domain ai.onnx, opset 14): the inputs have different element types "
                     "(float and int64)");
  }
  SUBCASE("opset 6 without broadcast=1 needs equal shapes") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model("Sub", 6, in));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sub, domain ai.onnx, opset 6): A [2,3] and B [3] must have the same shape "
                     "unless the attribute broadcast is 1");
  }
  SUBCASE("opset 6 axis that does not place B inside A") {
    const std::vector<HostTensor> in = {HostTensor::floats("a", {2, 3}, {}), HostTensor::floats("b", {3}, {})};
    const RunResult r = load_model(one_node_model("Sub", 6, in, {Attr("broadcast", 1), Attr("axis", 2)}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'node' (Sub, domain ai.onnx, opset 6): axis 2 does not place B [3] inside A [2,3]");
  }
  SUBCASE("float16 is refused") {
    const std::vector<HostTensor> in = {HostTensor::typed("a", CNNRT_FLOAT16, {2}, std::vector<uint16_t>{}),
                                        HostTensor::typed("b", CNNRT_FLOAT16, {2}, std::vector<uint16_t>{})};
    const RunResult r = load_model(one_node_model("Sub", 14, in));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'node' (Sub, domain ai.onnx, opset 14): input 0 has element type float16; "
                     "supported: float, integer types");
  }
}
