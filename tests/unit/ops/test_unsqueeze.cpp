// Unsqueeze against a naive reference: one or several axes in any order,
// negative axes, the attribute form before opset 13 and the input form
// after, every element type and the Conv layout, dynamic shapes; and the
// errors for bad axes.
#include <doctest/doctest.h>

#include <algorithm>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

Index reference_unsqueeze(const Index& x, const Index& axes) {
  const int64_t rank = static_cast<int64_t>(x.size() + axes.size());
  Index out;
  size_t next = 0;
  for (int64_t k = 0; k < rank; ++k) {
    const bool listed = std::any_of(axes.begin(), axes.end(), [&](int64_t a) { return (a < 0 ? a + rank : a) == k; });
    out.push_back(listed ? 1 : x[next++]);
  }
  return out;
}

void check_unsqueeze(const Index& dims, const Index& axes, Feed f, int opset = 13, const Index& decl = {}) {
  CAPTURE(opset);
  const FedReference ref = same_values(reference_unsqueeze(dims, axes));
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) {
    if (opset < 13)
      mb.node("Unsqueeze", {in}, {"y"}, {Attr("axes", axes)});
    else
      mb.initializer_i64("axes", {static_cast<int64_t>(axes.size())}, axes).node("Unsqueeze", {in, "axes"}, {"y"});
  });
}

}  // namespace

TEST_CASE("Unsqueeze: axes anywhere, unsorted and negative; every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    check_unsqueeze({2, 3, 4}, ints({0}), f);
    check_unsqueeze({2, 3, 4}, ints({3}), f);
    check_unsqueeze({2, 3, 4}, ints({4, 0, 2}), f);
    check_unsqueeze({2, 3, 4}, ints({-1, 1}), f);
  }
  check_unsqueeze({}, ints({0, 1}), Feed::i64);  // from a scalar
}

TEST_CASE("Unsqueeze: opset forms") {
  for (int opset : {1, 11, 13, 21}) check_unsqueeze({3, 2}, ints({0, 2}), Feed::f32, opset);
  for (int opset : {11, 13}) check_unsqueeze({3, 2}, ints({-1}), Feed::i64, opset);
}

TEST_CASE("Unsqueeze: dynamic dims") {
  for (int64_t n : {1, 3}) check_unsqueeze({n, 5}, ints({1}), Feed::f32, 13, {-1, 5});
}

TEST_CASE("Unsqueeze: errors") {
  auto load_error = [](int opset, const Index& axes) {
    ModelBuilder mb(opset);
    mb.input("x", {2, 3});
    if (opset < 13)
      mb.node("Unsqueeze", {"x"}, {"y"}, {Attr("axes", axes)}, "u");
    else
      mb.initializer_i64("a", {static_cast<int64_t>(axes.size())}, axes).node("Unsqueeze", {"x", "a"}, {"y"}, {}, "u");
    mb.output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  CHECK(load_error(13, ints({3})) ==
        "<memory>: node 'u' (Unsqueeze, domain ai.onnx, opset 13): axes [3]: axis 3 is out of range for rank 3");
  CHECK(load_error(13, ints({1, 1})) ==
        "<memory>: node 'u' (Unsqueeze, domain ai.onnx, opset 13): axes [1,1] names axis 1 twice");
  CHECK(load_error(1, ints({-1})) ==
        "<memory>: node 'u' (Unsqueeze, domain ai.onnx, opset 1): negative axis -1 needs opset 11 or later");
}
