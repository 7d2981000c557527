// Squeeze against a naive reference: listed axes (negative too), no axes
// (every dim of size 1), the attribute form before opset 13 and the input
// form after, every element type and the Conv layout, dynamic shapes; and
// the errors for axes that are not of size 1 or out of range.
#include <doctest/doctest.h>

#include <algorithm>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

Index reference_squeeze(const Index& x, const Index& axes) {
  Index out;
  for (size_t k = 0; k < x.size(); ++k) {
    const bool listed = std::any_of(axes.begin(), axes.end(), [&](int64_t a) {
      return (a < 0 ? a + static_cast<int64_t>(x.size()) : a) == static_cast<int64_t>(k);
    });
    if (axes.empty() ? x[k] != 1 : !listed) out.push_back(x[k]);
  }
  return out;
}

// axes empty: no axes given.
void check_squeeze(const Index& dims, const Index& axes, Feed f, int opset = 13, const Index& decl = {}) {
  CAPTURE(opset);
  const FedReference ref = same_values(reference_squeeze(dims, axes));
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    if (axes.empty()) {
      mb.node("Squeeze", {in}, {"y"});
    } else if (opset < 13) {
      mb.node("Squeeze", {in}, {"y"}, {Attr("axes", axes)});
    } else {
      mb.initializer_i64("axes", {static_cast<int64_t>(axes.size())}, axes).node("Squeeze", {in, "axes"}, {"y"});
    }
  });
}

}  // namespace

TEST_CASE("Squeeze: listed axes, negative axes, no axes; every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    check_squeeze({1, 3, 1, 5}, ints({0}), f);
    check_squeeze({1, 3, 1, 5}, ints({2, 0}), f);
    check_squeeze({1, 3, 1, 5}, ints({-2}), f);
    check_squeeze({1, 3, 1, 5}, {}, f);
  }
  check_squeeze({1, 1, 1}, {}, Feed::f32);  // to a scalar
  check_squeeze({1}, ints({0}), Feed::i64);
}

TEST_CASE("Squeeze: opset forms") {
  for (int opset : {1, 11, 13, 21}) check_squeeze({3, 1, 2, 1}, ints({1, 3}), Feed::f32, opset);
  for (int opset : {11, 13}) check_squeeze({3, 1, 2, 1}, ints({-1, 1}), Feed::i64, opset);
}

TEST_CASE("Squeeze: dynamic dims, including squeezing every size-1 dim once they are known") {
  for (int64_t n : {2, 1, 4}) {
    check_squeeze({n, 1, 3}, ints({1}), Feed::f32, 13, {-1, 1, 3});
    check_squeeze({n, 1, 3}, {}, Feed::f32, 13, {-1, 1, 3});  // n == 1 squeezes the batch too
  }
}

TEST_CASE("Squeeze: errors") {
  auto load_error = [](int opset, const Index& axes) {
    ModelBuilder mb(opset);
    mb.input("x", {1, 3, 1});
    if (opset < 13)
      mb.node("Squeeze", {"x"}, {"y"}, {Attr("axes", axes)}, "s");
    else
      mb.initializer_i64("a", {static_cast<int64_t>(axes.size())}, axes).node("Squeeze", {"x", "a"}, {"y"}, {}, "s");
    mb.output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  CHECK(load_error(13, ints({1})) ==
        "<memory>: node 's' (Squeeze, domain ai.onnx, opset 13): cannot squeeze axis 1 of input [1,3,1]: its size is 3, "
        "not 1");
  CHECK(load_error(13, ints({3})) ==
        "<memory>: node 's' (Squeeze, domain ai.onnx, opset 13): axes [3]: axis 3 is out of range for rank 3");
  CHECK(load_error(13, ints({0, -3})) ==
        "<memory>: node 's' (Squeeze, domain ai.onnx, opset 13): axes [0,-3] names axis 0 twice");
  CHECK(load_error(13, ints({0, 2, 0, 2})) ==
        "<memory>: node 's' (Squeeze, domain ai.onnx, opset 13): axes has 4 entries, more than the rank 3");
  CHECK(load_error(1, ints({-1})) ==
        "<memory>: node 's' (Squeeze, domain ai.onnx, opset 1): negative axis -1 needs opset 11 or later");
}
