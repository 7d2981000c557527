// Split against a naive reference: equal parts, explicit sizes (attribute
// before opset 13, input from 13, the opset-1 second input), num_outputs
// from opset 18 with a smaller last part, zero-size parts, negative axes,
// every element type and the Conv layout (a channel split), outputs nobody
// reads, dynamic shapes; and the errors for sizes that do not add up.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

enum class SizesAs { none, attribute, input, num_outputs };

std::vector<std::vector<float>> reference_split(const Index& dims, const std::vector<float>& x, int64_t axis,
                                                const Index& sizes, std::vector<Index>* out_dims) {
  std::vector<std::vector<float>> outs;
  int64_t at = 0;
  for (int64_t s : sizes) {
    Index od = dims;
    od[axis] = s;
    std::vector<float> y;
    for_each_index(od, [&](const Index& o) {
      Index i = o;
      i[axis] += at;
      y.push_back(x[offset_of(i, dims)]);
    });
    outs.push_back(y);
    out_dims->push_back(od);
    at += s;
  }
  return outs;
}

// `read` lists the outputs the graph exposes (others exist but nothing reads them).
void check_split(const Index& dims, int64_t axis, const Index& sizes, SizesAs how, Feed f, int opset,
                 const std::vector<size_t>& read = {}, const Index& decl = {}) {
  ModelBuilder mb(opset);
  const std::string in = feed_input(mb, f, "x", decl.empty() ? dims : decl);
  std::vector<std::string> outs, inputs = {in};
  for (size_t k = 0; k < sizes.size(); ++k) outs.push_back("y" + std::to_string(k));
  std::vector<Attr> attrs = {Attr("axis", axis)};
  if (how == SizesAs::attribute) attrs.emplace_back("split", sizes);
  if (how == SizesAs::num_outputs) attrs.emplace_back("num_outputs", static_cast<int64_t>(sizes.size()));
  if (how == SizesAs::input) {
    mb.initializer_i64("sizes", {static_cast<int64_t>(sizes.size())}, sizes);
    inputs.push_back("sizes");
  }
  mb.node("Split", inputs, outs, attrs);
  std::vector<size_t> exposed = read;
  if (exposed.empty())
    for (size_t k = 0; k < sizes.size(); ++k) exposed.push_back(k);
  for (size_t k : exposed) feed_output(mb, f, outs[k]);
  const auto x = feed_values(f, count_of(dims));
  const int64_t ax = axis < 0 ? axis + static_cast<int64_t>(dims.size()) : axis;
  std::vector<Index> want_dims;
  const auto want = reference_split(dims, x, ax, sizes, &want_dims);
  const RunResult r = run_model(mb.bytes(), {feed_tensor(f, "x", dims, x)});
  const std::string feed = feed_name(f);
  CAPTURE(feed);
  CAPTURE(opset);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  REQUIRE(r.outputs.size() == exposed.size());
  for (size_t i = 0; i < exposed.size(); ++i) {
    CHECK(r.outputs[i].dims == want_dims[exposed[i]]);
    CHECK(r.outputs[i].f == want[exposed[i]]);
  }
}

}  // namespace

TEST_CASE("Split: equal parts and explicit sizes along every axis, every element type and the Conv layout") {
  for (Feed f : all_feeds(true)) {
    check_split({2, 6, 4, 3}, 1, ints({2, 2, 2}), SizesAs::none, f, 13);
    check_split({2, 6, 4, 3}, 1, ints({1, 4, 1}), SizesAs::input, f, 13);
    check_split({2, 6, 4, 3}, 2, ints({3, 1}), SizesAs::input, f, 13);
    check_split({2, 6, 4, 3}, -1, ints({1, 2}), SizesAs::input, f, 13);
    check_split({2, 6, 4, 3}, 0, ints({1, 1}), SizesAs::none, f, 13);
    check_split({2, 6, 4, 3}, 1, ints({6}), SizesAs::none, f, 13);  // one part: the input itself
  }
  check_split({2, 32, 3, 3}, 1, ints({16, 16}), SizesAs::none, Feed::f32_conv, 13);  // ShuffleNet's channel split
}

TEST_CASE("Split: opset forms") {
  for (int opset : {1, 2, 11}) check_split({4, 6}, 1, ints({1, 5}), SizesAs::attribute, Feed::f32, opset);
  for (int opset : {1, 2, 11, 13, 18}) check_split({4, 6}, 1, ints({3, 3}), SizesAs::none, Feed::f32, opset);
  check_split({4, 6}, 1, ints({2, 4}), SizesAs::input, Feed::f32, 1);  // opset 1's second input
  check_split({4, 6}, -2, ints({1, 3}), SizesAs::input, Feed::i64, 18);
  // num_outputs: parts of ceil(d / n), the last ones smaller (or empty)
  check_split({7, 2}, 0, ints({3, 3, 1}), SizesAs::num_outputs, Feed::f32, 18);
  check_split({9, 2}, 0, ints({3, 3, 3, 0}), SizesAs::num_outputs, Feed::i64, 18);
  check_split({8, 2}, 0, ints({4, 4}), SizesAs::num_outputs, Feed::f32, 18);
}

TEST_CASE("Split: zero-size parts and outputs nobody reads") {
  for (Feed f : {Feed::f32, Feed::i64, Feed::f64}) {
    check_split({3, 5}, 1, ints({0, 5, 0}), SizesAs::input, f, 13);
    check_split({3, 5}, 1, ints({1, 2, 2}), SizesAs::input, f, 13, {0});
    check_split({3, 5}, 1, ints({1, 2, 2}), SizesAs::input, f, 13, {2});
  }
}

TEST_CASE("Split: dynamic shapes") {
  for (int64_t n : {1, 5}) {
    check_split({n, 4}, 1, ints({1, 3}), SizesAs::input, Feed::f32, 13, {}, {-1, 4});
    check_split({n, 4}, 1, ints({2, 2}), SizesAs::none, Feed::i64, 13, {}, {-1, 4});
  }
}

TEST_CASE("Split: errors") {
  auto load_error = [](int opset, const Index& x, int outputs, const std::vector<Attr>& attrs, const Index& sizes = {}) {
    ModelBuilder mb(opset);
    mb.input("x", x);
    std::vector<std::string> inputs = {"x"}, outs;
    if (!sizes.empty()) {
      mb.initializer_i64("s", {static_cast<int64_t>(sizes.size())}, sizes);
      inputs.push_back("s");
    }
    for (int k = 0; k < outputs; ++k) outs.push_back("y" + std::to_string(k));
    mb.node("Split", inputs, outs, attrs, "sp");
    for (const auto& o : outs) mb.output(o);
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  auto at = [](int opset) { return "<memory>: node 'sp' (Split, domain ai.onnx, opset " + std::to_string(opset) + "): "; };
  CHECK(load_error(13, {4, 6}, 2, {Attr("axis", int64_t{1})}, ints({2, 3})) ==
        at(13) + "split [2,3] adds up to 5, the axis has size 6");
  CHECK(load_error(13, {4, 6}, 3, {Attr("axis", int64_t{1})}, ints({2, 4})) ==
        at(13) + "split [2,4] has 2 sizes for 3 outputs");
  CHECK(load_error(13, {4, 7}, 2, {Attr("axis", int64_t{1})}) == at(13) + "cannot split an axis of size 7 into 2 equal parts");
  CHECK(load_error(11, {4, 6}, 2, {Attr("axis", int64_t{1}), Attr("split", ints({-1, 7}))}) ==
        at(11) + "split [-1,7] has a negative size");
  CHECK(load_error(18, {4, 6}, 2, {Attr("axis", int64_t{1}), Attr("num_outputs", int64_t{3})}) ==
        at(18) + "num_outputs is 3 but the node has 2 outputs");
  CHECK(load_error(18, {4, 6}, 2, {Attr("axis", int64_t{1}), Attr("num_outputs", int64_t{2})}, ints({3, 3})) ==
        at(18) + "give either the split input or num_outputs, not both");
  CHECK(load_error(13, {4, 6}, 2, {Attr("axis", int64_t{2})}) == at(13) + "axis 2 is out of range for rank 2");
}
